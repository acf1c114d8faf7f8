package dev.daflow.ml.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.Preprocessing;
import dev.daflow.ml.data.Scaling;
import dev.daflow.ml.fixtures.Digits;
import dev.daflow.ml.model.Model;
import dev.daflow.ml.nn.Graphs;
import dev.daflow.ml.nn.LeNet;
import dev.daflow.ml.nn.LeNetBn;
import dev.daflow.ml.train.TargetPictures;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;

/** {@link LabelFreeValidation} on a model: every validator, from the model's own outputs. */
class LabelFreeValidationTest {

  @Test
  void measuresEveryValidatorFromTheModelsOutputs() {
    ImageDataset mnist = Digits.mnistTrain(300);
    ImageDataset usps = Digits.uspsTrain(200);
    LeNet net = new LeNet();
    Preprocessing pre = Preprocessing.fit(mnist, net.input(), net.framing(), Scaling.UNIT);
    Model model = new Model(Graphs.inference(net, 3), net.name(), pre, ImageDataset.DIGITS, null);

    Map<String, Double> v = LabelFreeValidation.measure(model, TargetPictures.of(usps), mnist, 1);

    assertThat(v.keySet()).containsExactly("source_val_accuracy", "entropy", "im", "bnm", "snd",
        "class_ami", "dev", "largest_class_share", "mean_prediction_entropy", "collapsed");
    // The same figures as the pure functions on the model's outputs.
    LabelFreeValidation.Outputs out = LabelFreeValidation.outputs(model, usps, true);
    double[][] p = out.probabilities();
    assertThat(p).hasNumberOfRows(200);
    assertThat(v.get("im")).isCloseTo(Validators.informationMaximization(p), within(1e-12));
    assertThat(v.get("snd")).isCloseTo(Validators.softNeighbourhoodDensity(p), within(1e-12));
    assertThat(v.get("largest_class_share")).isCloseTo(Collapse.of(p).largestClassShare(),
        within(1e-12));
    int[] predicted = Validators.argMax(
        LabelFreeValidation.outputs(model, mnist, false).probabilities());
    assertThat(v.get("source_val_accuracy"))
        .isCloseTo(Validators.accuracy(predicted, mnist.labels()), within(1e-12));
    // Without held-out source pictures: no source_val_accuracy, no dev.
    assertThat(LabelFreeValidation.measure(model, TargetPictures.of(usps), null, 1))
        .doesNotContainKeys("source_val_accuracy", "dev").containsKeys("im", "class_ami");
  }

  /**
   * With domain-specific batch normalisation the source-measured validators read the network's
   * source branch: here the source statistics make every output one constant class, so on
   * held-out pictures of only that class the source view is right on every one, where the served
   * (target-statistics) view is not.
   */
  @Test
  void sourceValidationReadsTheSourceStatistics() {
    ImageDataset mnist = Digits.mnistTrain(300);
    LeNetBn net = new LeNetBn();
    Preprocessing pre = Preprocessing.fit(mnist, net.input(), net.framing(), Scaling.UNIT);
    SameDiff graph = Graphs.inference(net, 3);
    for (String n : Graphs.parameters(graph)) {
      if (n.contains("/running_var/source")) {
        graph.getArrForVarName(n).assign(1e12); // source branch: normalised features all ~0
      }
    }
    Model model = new Model(graph, net.name(), pre, ImageDataset.DIGITS, null);
    Model source = model.sourceView();
    assertThat(source).isNotSameAs(model);
    int[] constant = Validators.argMax(
        LabelFreeValidation.outputs(source, mnist, false).probabilities());
    assertThat(constant).containsOnly(constant[0]);
    int c = constant[0];
    int n = (int) java.util.Arrays.stream(mnist.labels()).filter(l -> l == c).count();
    byte[] pixels = new byte[n * mnist.pictureSize()];
    int[] labels = new int[n];
    for (int i = 0, j = 0; i < mnist.count(); i++) {
      if (mnist.labels()[i] == c) {
        System.arraycopy(mnist.pixels(), i * mnist.pictureSize(), pixels, j * mnist.pictureSize(),
            mnist.pictureSize());
        labels[j++] = c;
      }
    }
    ImageDataset heldOut = new ImageDataset("class " + c, pixels, labels, n, mnist.height(),
        mnist.width(), mnist.channels(), mnist.classNames());
    double served = Validators.accuracy(Validators.argMax(
        LabelFreeValidation.outputs(model, heldOut, false).probabilities()), labels);
    assertThat(served).isLessThan(1.0);

    Map<String, Double> v = LabelFreeValidation.measure(model, TargetPictures.of(mnist), heldOut,
        1);

    assertThat(v.get("source_val_accuracy")).isEqualTo(1.0);
    // The model itself is unchanged: it still reads the target's statistics.
    assertThat(Validators.accuracy(Validators.argMax(
        LabelFreeValidation.outputs(model, heldOut, false).probabilities()), labels))
        .isEqualTo(served);
    // A network without batch normalisation is its own source view.
    LeNet plain = new LeNet();
    Model m = new Model(Graphs.inference(plain, 3), plain.name(), pre, ImageDataset.DIGITS, null);
    assertThat(m.sourceView()).isSameAs(m);
  }
}
