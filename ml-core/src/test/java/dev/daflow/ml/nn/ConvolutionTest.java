package dev.daflow.ml.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The unrolled (patches + GEMM) convolution of few-channel inputs and the pool-then-ReLU order
 * compute what oneDNN's {@code conv2d} followed by ReLU and pooling computes: the same outputs and
 * the same parameter gradients, from the same parameters; and the gradient pass never runs
 * through the unrolling of the pictures.
 */
class ConvolutionTest {

  @ParameterizedTest(name = "{0} channels, {1}x{1} kernels, same padding {2}")
  @CsvSource({"1, 5, false", "3, 5, true", "3, 3, true"})
  void unrolledConvolutionPooledThenReluMatchesTheDirectOne(int channels, int k, boolean same) {
    long seed = 11;
    // The layer as the networks build it: unrolled (few channels), pooled, then ReLU.
    SameDiff fast = SameDiff.create();
    SDVariable x = fast.placeHolder("x", DataType.FLOAT, -1, channels, 12, 12);
    SDVariable out = new Layers(fast, "s", new Random(seed))
        .convPoolRelu("c", x, channels, 8, k, same, 2, 2);
    out.sum("loss");
    fast.setLossVariables("loss");
    // The reference: oneDNN's convolution with the same parameters, ReLU, then pooling.
    SameDiff direct = SameDiff.create();
    SDVariable xr = direct.placeHolder("x", DataType.FLOAT, -1, channels, 12, 12);
    SDVariable w = direct.var("s/c/W", fast.getArrForVarName("s/c/W").dup());
    SDVariable b = direct.var("s/c/b", fast.getArrForVarName("s/c/b").dup());
    Conv2DConfig cfg = Conv2DConfig.builder().kH(k).kW(k).sH(1).sW(1)
        .paddingMode(same ? PaddingMode.SAME : PaddingMode.VALID).dataFormat("NCHW").build();
    SDVariable h = direct.nn().relu(direct.cnn().conv2d(xr, w, b, cfg), 0);
    SDVariable ref = new Layers(direct, "r", new Random(seed)).maxPool(h, 2, 2);
    ref.sum("loss");
    direct.setLossVariables("loss");

    Nd4j.getRandom().setSeed(5);
    Map<String, INDArray> in = Map.of("x", Nd4j.randn(DataType.FLOAT, 4, channels, 12, 12));
    assertThat(fast.output(in, "loss").get("loss").getDouble(0))
        .isCloseTo(direct.output(in, "loss").get("loss").getDouble(0),
            org.assertj.core.data.Percentage.withPercentage(1e-3));
    // Every value of the layer's output, not only their sum.
    INDArray o = fast.output(in, out.name()).get(out.name());
    INDArray or = direct.output(in, ref.name()).get(ref.name());
    assertThat(o.shape()).containsExactly(or.shape());
    assertThat(o.sub(or).amaxNumber().doubleValue()).isLessThan(1e-5);
    assertThat(or.amaxNumber().doubleValue()).isGreaterThan(0);
    Map<String, INDArray> g = fast.calculateGradients(in, List.of("s/c/W", "s/c/b"));
    Map<String, INDArray> gr = direct.calculateGradients(in, List.of("s/c/W", "s/c/b"));
    for (String p : List.of("s/c/W", "s/c/b")) {
      assertThat(g.get(p).shape()).containsExactly(gr.get(p).shape());
      assertThat(g.get(p).sub(gr.get(p)).amaxNumber().doubleValue()).as(p)
          .isLessThan(1e-5 * Math.max(1, gr.get(p).amaxNumber().doubleValue()));
      assertThat(gr.get(p).amaxNumber().doubleValue()).as(p).isGreaterThan(0);
    }
  }

  @ParameterizedTest(name = "{0} channels")
  @CsvSource({"1", "3"})
  void theGradientPassRunsNoBackwardOperationThroughThePatches(int channels) {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, channels, 12, 12);
    new Layers(sd, "s", new Random(3)).convPoolRelu("c", x, channels, 8, 5, false, 2, 2)
        .sum("loss");
    sd.setLossVariables("loss");
    List<String> ran = new ArrayList<>();
    sd.setListeners(new BaseListener() {
      @Override
      public boolean isActive(Operation operation) {
        return true;
      }

      @Override
      public void opExecution(SameDiff s, At at, MultiDataSet batch, SameDiffOp op,
          OpContext context, INDArray[] outputs) {
        ran.add(op.getOp().opName());
      }
    });
    sd.calculateGradients(Map.of("x", Nd4j.rand(DataType.FLOAT, 2, channels, 12, 12)),
        List.of("s/c/W", "s/c/b"));
    // The unrolling ran forward (a convolution with the constant one-hot kernel), the GEMM's
    // gradient ran, and nothing computed a gradient of the pictures' convolution.
    assertThat(ran).contains("conv2d", "matmul", "matmul_bp").doesNotContain("conv2d_bp");
  }

  @ParameterizedTest(name = "{0} channels, {1}x{1} kernels")
  @CsvSource({"1, 5", "3, 3"})
  void thePatchKernelCopiesEachWindowValueToItsOwnChannelInIm2colOrder(int channels, int k) {
    INDArray kernel = Layers.patchKernel(channels, k);
    int patch = channels * k * k;
    assertThat(kernel.shape()).containsExactly(k, k, channels, patch);
    assertThat(kernel.sumNumber().intValue()).isEqualTo(patch);
    // the last value of the window (bottom right, last channel) goes to channel c*k*k + i*k + j
    assertThat(kernel.getFloat(k - 1, k - 1, channels - 1, patch - 1)).isEqualTo(1f);
    assertThat(kernel.getFloat(0, 1, channels - 1, (channels - 1) * k * k + 1)).isEqualTo(1f);
  }
}
