package dev.daflow.ml.nn;

import java.util.List;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds layers into a {@link SameDiff} graph with named, seeded parameters.
 *
 * <p>Parameters are named {@code <scope>/<layer>/W} and {@code <scope>/<layer>/b}, so that the
 * same architecture can be instantiated twice in one graph (ADDA's source and target encoders) and
 * parameters can be copied between graphs by name. Initialisation follows PyTorch's default for
 * convolution and linear layers (uniform in +-1/sqrt(fanIn) for weights and biases), which is what
 * the reference reproductions of DANN and ADDA use. Convolutions are NCHW with YXIO weights.
 */
public final class Layers {
  private final SameDiff sd;
  private final String scope;
  private final Random random;
  private final boolean frozen;
  private final BatchDomains domains;

  /**
   * @param sd the graph to add to
   * @param scope name prefix of every parameter made here
   * @param random source of initial values; the caller seeds it
   */
  public Layers(SameDiff sd, String scope, Random random) {
    this(sd, scope, random, false);
  }

  /**
   * @param frozen true to make the parameters graph constants: no gradient is computed for them
   *     and the caller sets their values (ADDA's fixed source encoder, a discriminator copy)
   */
  public Layers(SameDiff sd, String scope, Random random, boolean frozen) {
    this(sd, scope, random, frozen, BatchDomains.UNSTATED);
  }

  private Layers(SameDiff sd, String scope, Random random, boolean frozen,
      BatchDomains domains) {
    this.sd = sd;
    this.scope = scope;
    this.random = random;
    this.frozen = frozen;
    this.domains = domains;
  }

  /**
   * These layers, with the batch's rows assigned to domains as {@code d} says: what {@link
   * #batchNorm} normalises with. Graphs state it; without it a batch-normalised network refuses
   * to build.
   */
  public Layers with(BatchDomains d) {
    return new Layers(sd, scope, random, frozen, d);
  }

  public SameDiff sameDiff() {
    return sd;
  }

  /**
   * Input channels below which a convolution is computed as a GEMM over unrolled patches rather
   * than by oneDNN's direct convolution. oneDNN works in blocks of 8 or 16 channels and pads a
   * picture's 1 or 3 channels up to a block: on the first layers of {@code lenet} and {@code
   * dann-svhn} its forward and backward passes took 62% and 55% of the whole DANN step
   * (docs/performance.md); as a GEMM over the unrolled patches (Chellapilla et al. 2006; Caffe's
   * convolution) they take a few percent.
   */
  static final int DIRECT_MIN_CHANNELS = 8;

  /** Convolution with {@code k x k} kernels, stride 1, then ReLU. */
  public SDVariable convRelu(String name, SDVariable x, int inC, int outC, int k, boolean same) {
    return relu(convBias(name, x, inC, outC, k, same));
  }

  /**
   * Convolution with {@code k x k} kernels and stride 1, then max pooling ({@code pool x pool},
   * stride {@code stride}), then ReLU: the same values and gradients as pooling after the ReLU
   * (max-pooling commutes with any increasing function), with the ReLU and its gradient computed
   * on the pooled map, a quarter of the values or fewer.
   */
  public SDVariable convPoolRelu(String name, SDVariable x, int inC, int outC, int k, boolean same,
      int pool, int stride) {
    if (!isUnrolled(x, inC, k, same)) {
      return relu(maxPool(convBias(name, x, inC, outC, k, same), pool, stride));
    }
    // Unrolled: the bias is added after pooling, to a quarter of the values or fewer. Max pooling
    // commutes with adding a per-channel constant (rounding is monotonic), so the values are the
    // same, and the bias's gradient is the same sum over the positions pooling selects. The
    // pooling runs on the GEMM's NHWC output, and only the pooled map is permuted to NCHW (before:
    // the whole map, forward and backward; docs/performance.md).
    SDVariable w = param(name + "/W", inC * k * k, k, k, inC, outC);
    SDVariable b = param(name + "/b", inC * k * k, outC);
    long[] shape = x.getShape();
    SDVariable map = unrolledNhwc(x, w, inC, outC, k, same, shape[2], shape[3]);
    SDVariable pooled = sd.permute(maxPool(map, pool, stride, true), 0, 3, 1, 2);
    return relu(pooled.add(sd.reshape(b, 1, outC, 1, 1)));
  }

  /** ReLU. */
  public SDVariable relu(SDVariable x) {
    return sd.nn().relu(x, 0);
  }

  /** Convolution with {@code k x k} kernels, stride 1, and a bias; no activation. */
  public SDVariable convBias(String name, SDVariable x, int inC, int outC, int k, boolean same) {
    SDVariable w = param(name + "/W", inC * k * k, k, k, inC, outC);
    SDVariable b = param(name + "/b", inC * k * k, outC);
    return convolve(x, w, b, inC, outC, k, same);
  }

  /**
   * Convolution with {@code k x k} kernels, stride 1, without bias or activation (for a
   * normalisation that would remove a bias anyway; see {@link #instanceNormRelu}).
   */
  public SDVariable conv(String name, SDVariable x, int inC, int outC, int k, boolean same) {
    SDVariable w = param(name + "/W", inC * k * k, k, k, inC, outC);
    return convolve(x, w, null, inC, outC, k, same);
  }

  /** oneDNN's convolution, or {@link #unrolled} for few input channels of a known size. */
  private SDVariable convolve(SDVariable x, SDVariable w, SDVariable b, int inC, int outC, int k,
      boolean same) {
    if (isUnrolled(x, inC, k, same)) {
      long[] shape = x.getShape();
      return unrolled(x, w, b, inC, outC, k, same, shape[2], shape[3]);
    }
    return b == null ? sd.cnn().conv2d(x, w, convConfig(k, same))
        : sd.cnn().conv2d(x, w, b, convConfig(k, same));
  }

  /** Whether {@link #convolve} computes this convolution by {@link #unrolled}. */
  private static boolean isUnrolled(SDVariable x, int inC, int k, boolean same) {
    long[] shape = x.getShape();
    return inC < DIRECT_MIN_CHANNELS && (!same || k % 2 == 1) && shape != null
        && shape.length == 4 && shape[2] > 0 && shape[3] > 0;
  }

  /**
   * The convolution as one GEMM: the {@code k x k x inC} patch under each output position
   * (Chellapilla et al. 2006) times the weights as a {@code [k*k*inC, outC]} matrix, permuted to
   * NCHW. Weights and bias are the same parameters as {@code conv2d}'s.
   *
   * <p>The patches are unrolled by oneDNN: a convolution of the NHWC pictures with a constant
   * one-hot kernel (output channel {@code p} copies the patch's value {@code p}) writes them
   * straight in the GEMM's row layout. Its inputs are the pictures and a constant, so no gradient
   * pass runs through it. (libnd4j's {@code im2col} wrote them as {@code [N, C, k, k, oH, oW]},
   * which took a permute and two copies more: 14 of lenet's 100 ms per step against 5 ms;
   * docs/performance.md.)
   */
  private SDVariable unrolled(SDVariable x, SDVariable w, SDVariable b, int inC, int outC, int k,
      boolean same, long h, long wd) {
    SDVariable out = sd.permute(unrolledNhwc(x, w, inC, outC, k, same, h, wd), 0, 3, 1, 2);
    return b == null ? out : out.add(sd.reshape(b, 1, outC, 1, 1));
  }

  /** {@link #unrolled}'s convolution without bias, in the GEMM's layout {@code [N, oH, oW, O]}. */
  private SDVariable unrolledNhwc(SDVariable x, SDVariable w, int inC, int outC, int k,
      boolean same, long h, long wd) {
    long oh = same ? h : h - k + 1;
    long ow = same ? wd : wd - k + 1;
    int patch = inC * k * k;
    // NCHW pictures -> NHWC (with one channel the same memory); explicit zero padding for "same"
    SDVariable nhwc = inC == 1 ? sd.reshape(x, -1, h, wd, 1) : sd.permute(x, 0, 2, 3, 1);
    Conv2DConfig unroll = Conv2DConfig.builder().kH(k).kW(k).sH(1).sW(1)
        .pH(same ? (k - 1) / 2 : 0).pW(same ? (k - 1) / 2 : 0)
        .paddingMode(PaddingMode.VALID).dataFormat("NHWC").build();
    // [N, oH, oW, C*k*k] -> rows [N*oH*oW, C*k*k], one per output position
    SDVariable rows = sd.reshape(sd.cnn().conv2d(nhwc, sd.constant(patchKernel(inC, k)), unroll),
        -1, patch);
    // YXIO weights [k, k, C, O] -> [C, k, k, O] -> [C*k*k, O], the patches' order
    SDVariable matrix = sd.reshape(sd.permute(w, 2, 0, 1, 3), patch, outC);
    // [N*oH*oW, C*k*k] x [C*k*k, O] -> [N, oH, oW, O]
    return sd.reshape(rows.mmul(matrix), -1, oh, ow, outC);
  }

  /**
   * The one-hot YXIO kernel {@code [k, k, C, C*k*k]} that unrolls patches: output channel {@code
   * c*k*k + i*k + j} is the input value at row {@code i}, column {@code j} and channel {@code c}
   * of the window (im2col's order).
   */
  static INDArray patchKernel(int inC, int k) {
    int patch = inC * k * k;
    float[] kernel = new float[k * k * inC * patch];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        for (int c = 0; c < inC; c++) {
          kernel[((i * k + j) * inC + c) * patch + c * k * k + i * k + j] = 1f;
        }
      }
    }
    return Nd4j.create(kernel, new long[] {k, k, inC, patch}, 'c');
  }

  private static Conv2DConfig convConfig(int k, boolean same) {
    return Conv2DConfig.builder()
        .kH(k)
        .kW(k)
        .sH(1)
        .sW(1)
        .paddingMode(same ? PaddingMode.SAME : PaddingMode.VALID)
        .dataFormat("NCHW")
        .build();
  }

  /**
   * {@link #instanceNorm} followed by a learned per-channel scale (initially 1) and shift
   * (initially 0), then ReLU.
   *
   * @param x {@code [N, channels, H, W]}
   */
  public SDVariable instanceNormRelu(String name, SDVariable x, int channels) {
    SDVariable gamma = constantParam(name + "/gamma", 1f, 1, channels, 1, 1);
    SDVariable beta = constantParam(name + "/beta", 0f, 1, channels, 1, 1);
    return sd.nn().relu(instanceNorm(x).mul(gamma).add(beta), 0);
  }

  /**
   * Instance normalisation without parameters (Ulyanov et al. 2016): each picture's channel is
   * brought to mean 0 and variance 1 over its height and width, {@code (x - mean) / sqrt(var +
   * 1e-5)}. It needs no running statistics, so training and inference compute the same thing.
   *
   * @param x {@code [N, C, H, W]}
   */
  public SDVariable instanceNorm(SDVariable x) {
    SDVariable mean = x.mean(true, 2, 3);
    SDVariable centred = x.sub(mean);
    SDVariable var = sd.math().square(centred).mean(true, 2, 3);
    return centred.div(sd.math().sqrt(var.add(1e-5)));
  }

  /**
   * Batch normalisation (Ioffe &amp; Szegedy 2015, "Batch Normalization", ICML) of {@code [N,
   * features]} with one shared learned scale and shift, and running statistics kept per domain:
   * domain-specific batch normalisation (Chang et al. 2019, "Domain-Specific Batch Normalization
   * for Unsupervised Domain Adaptation", CVPR), whose statistics at inference are the target's
   * (AdaBN: Li et al. 2018, "Adaptive Batch Normalization for practical domain adaptation",
   * Pattern Recognition 80).
   *
   * <p>In training ({@link BatchDomains#SOURCE}, {@link BatchDomains#TARGET}, {@link
   * BatchDomains#JOINT}) each domain's rows are normalised by their own batch mean and (biased)
   * variance, {@code (x - mean) / sqrt(var + 1e-5)}, and those statistics are graph outputs
   * {@code <scope>/<name>/batch_mean/<domain>} and {@code .../batch_var/<domain>} that {@link
   * BatchNorm#update} folds into the constants {@code .../running_mean/<domain>} and {@code
   * .../running_var/<domain>} after each step. At inference ({@link BatchDomains#TARGET_RUNNING})
   * the target's running statistics are used ({@link BatchDomains#SOURCE_RUNNING}: the source's).
   *
   * @throws IllegalStateException when the graph did not state its batch's domains
   */
  public SDVariable batchNorm(String name, SDVariable x, int features) {
    SDVariable gamma = constantParam(name + "/gamma", 1f, 1, features);
    SDVariable beta = constantParam(name + "/beta", 0f, 1, features);
    String p = scope + "/" + name + "/";
    for (String d : BatchNorm.DOMAINS) {
      sd.constant(p + BatchNorm.RUNNING_MEAN + d,
          Nd4j.zeros(DataType.FLOAT, 1, features));
      sd.constant(p + BatchNorm.RUNNING_VAR + d,
          Nd4j.ones(DataType.FLOAT, 1, features));
    }
    if (domains == BatchDomains.UNSTATED) {
      throw new IllegalStateException("batch normalisation '" + p + "' in a graph that does not"
          + " say which rows of its batch come from which domain: this method cannot train a"
          + " network with batch normalisation");
    }
    if (domains == BatchDomains.TARGET_RUNNING || domains == BatchDomains.SOURCE_RUNNING) {
      String d = domains == BatchDomains.TARGET_RUNNING ? BatchNorm.TARGET : BatchNorm.SOURCE;
      SDVariable mean = sd.getVariable(p + BatchNorm.RUNNING_MEAN + d);
      SDVariable var = sd.getVariable(p + BatchNorm.RUNNING_VAR + d);
      return x.sub(mean).div(sd.math().sqrt(var.add(BatchNorm.EPSILON))).mul(gamma).add(beta);
    }
    List<String> ds = domains.names();
    int groups = ds.size();
    // [N, F] -> [groups, N/groups, F]: each domain's rows a block of their own
    SDVariable blocks = sd.reshape(x, groups, -1, features);
    SDVariable mean = blocks.mean(true, 1);
    SDVariable centred = blocks.sub(mean);
    SDVariable var = sd.math().square(centred).mean(true, 1);
    SDVariable normalised = centred.div(sd.math().sqrt(var.add(BatchNorm.EPSILON)));
    SDVariable means = sd.reshape(mean, groups, features);
    SDVariable vars = sd.reshape(var, groups, features);
    for (int i = 0; i < groups; i++) {
      sd.identity(p + BatchNorm.BATCH_MEAN + ds.get(i),
          sd.reshape(means.get(SDIndex.point(i), SDIndex.all()), 1, features));
      sd.identity(p + BatchNorm.BATCH_VAR + ds.get(i),
          sd.reshape(vars.get(SDIndex.point(i), SDIndex.all()), 1, features));
    }
    return sd.reshape(normalised, -1, features).mul(gamma).add(beta);
  }

  /** Max pooling of NCHW maps, {@code k x k} window, stride {@code s}, no padding. */
  public SDVariable maxPool(SDVariable x, int k, int s) {
    return maxPool(x, k, s, false);
  }

  private SDVariable maxPool(SDVariable x, int k, int s, boolean nhwc) {
    Pooling2DConfig cfg =
        Pooling2DConfig.builder()
            .kH(k)
            .kW(k)
            .sH(s)
            .sW(s)
            .paddingMode(PaddingMode.VALID)
            .isNHWC(nhwc)
            .build();
    return sd.cnn().maxPooling2d(x, cfg);
  }

  /**
   * Fully connected layer without activation, as {@code x.mmul(W).add(b)}.
   *
   * <p>Not {@code sd.nn().linear}: with the oneDNN natives of ND4J 1.0.0-M2.1 its {@code
   * xw_plus_b} op returns different results on repeated executions of one graph when another op
   * consumes its output (see {@code LayersTest}).
   */
  public SDVariable dense(String name, SDVariable x, int in, int out) {
    SDVariable w = param(name + "/W", in, in, out);
    SDVariable b = param(name + "/b", in, out);
    return x.mmul(w).add(b);
  }

  /** Fully connected layer followed by ReLU. */
  public SDVariable denseRelu(String name, SDVariable x, int in, int out) {
    return sd.nn().relu(dense(name, x, in, out), 0);
  }

  /** Flattens {@code [N, ...]} to {@code [N, size]}. */
  public SDVariable flatten(SDVariable x, int size) {
    return sd.reshape(x, -1, size);
  }

  /**
   * Inverted dropout driven by a mask placeholder {@code <scope>/<name>/mask} of the same shape as
   * {@code x}: the training loop fills it from its own seeded generator (values 0 or 1/(1-p)), so
   * a run is reproducible and resumable. Inference graphs leave dropout out.
   */
  public SDVariable dropout(String name, SDVariable x, int size) {
    SDVariable mask = sd.placeHolder(scope + "/" + name + "/mask", DataType.FLOAT, -1, size);
    return x.mul(mask);
  }

  /** A parameter with every value {@code value} (normalisation scales and shifts). */
  private SDVariable constantParam(String name, float value, long... shape) {
    String full = scope + "/" + name;
    var array = Nd4j.valueArrayOf(shape, value, org.nd4j.linalg.api.buffer.DataType.FLOAT);
    return frozen ? sd.constant(full, array) : sd.var(full, array);
  }

  private SDVariable param(String name, int fanIn, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    float bound = (float) (1.0 / Math.sqrt(fanIn));
    float[] values = new float[Math.toIntExact(n)];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
    }
    String full = scope + "/" + name;
    var array = Nd4j.create(values, shape, 'c');
    return frozen ? sd.constant(full, array) : sd.var(full, array);
  }
}
