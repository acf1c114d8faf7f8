package dev.daflow.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.contract.Tuning;
import dev.daflow.events.TrainingRequested;
import dev.daflow.platform.datasets.DatasetManifest.Shape;
import dev.daflow.platform.datasets.DatasetManifest.SplitEntry;
import dev.daflow.platform.datasets.DatasetManifest;
import dev.daflow.trainer.service.RequestValidator.Verdict;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link RequestValidator} over in-memory manifests. */
class RequestValidatorTest {
  private static final List<String> DIGITS =
      List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

  private static DatasetManifest manifest(String name, Shape shape, List<String> classes,
      int train, int test) {
    return new DatasetManifest(1, name, "test", shape, classes,
        Map.of("train", new SplitEntry(train, List.of()), "test", new SplitEntry(test, List.of())),
        "2026-01-01T00:00:00Z");
  }

  private final Map<String, DatasetManifest> stored = Map.of(
      "mnist", manifest("mnist", new Shape(1, 28, 28), DIGITS, 600, 300),
      "usps", manifest("usps", new Shape(1, 16, 16), DIGITS, 600, 300),
      "svhn", manifest("svhn", new Shape(3, 32, 32), DIGITS, 600, 300),
      "mnist64", manifest("mnist64", new Shape(3, 64, 64), DIGITS, 600, 300),
      "abc", manifest("abc", new Shape(1, 28, 28), List.of("a", "b", "c"), 600, 300),
      "empty", manifest("empty", new Shape(1, 28, 28), DIGITS, 0, 300));

  private final RequestValidator validator =
      new RequestValidator(name -> Optional.ofNullable(stored.get(name)));

  private static TrainingRequested request(String method, String source, String target,
      String network, int epochs) {
    return new TrainingRequested("job-1", null, method, source, target, network, epochs, 64, null,
        null, "none", 7, 600);
  }

  @Test
  void validRequestGetsTheDefaultNetworkForItsShapes() {
    Verdict v = validator.check(request("dann", "mnist", "usps", null, 2));
    assertThat(v.problems()).isEmpty();
    assertThat(v.accepted().network()).isEqualTo("lenet");
    assertThat(v.accepted().modelName()).isEqualTo("dann-mnist-usps");
    assertThat(v.accepted().spec().config().epochs()).isEqualTo(2);
    assertThat(v.accepted().spec().config().batchSize()).isEqualTo(64);
    assertThat(v.accepted().spec().config().learningRate()).isEqualTo(0.01); // DANN's default
    assertThat(v.accepted().spec().trainLimit()).isEqualTo(600);

    assertThat(validator.check(request("dann", "svhn", "mnist", null, 2)).accepted().network())
        .isEqualTo("dann-mnistm");
    Verdict mnist64 = validator.check(request("adda", "mnist64", "mnist64", null, 2));
    assertThat(mnist64.accepted().network()).isEqualTo("adda-mnist64-in");
    // That network's default recipe clips gradients at norm 5; lenet's does not clip.
    assertThat(mnist64.accepted().spec().config().tuning())
        .isEqualTo(Tuning.DEFAULT.withClipNorm(5));
    assertThat(v.accepted().spec().config().tuning()).isEqualTo(Tuning.DEFAULT);
  }

  @Test
  void theTuningFieldsBecomeTheConfigsTuning() {
    TrainingRequested tuned = request("dann", "mnist", "usps", null, 2)
        .withTuning(new Tuning.Request("adam", 2.5, 0.3));
    assertThat(validator.check(tuned).accepted().spec().config().tuning())
        .isEqualTo(Tuning.DEFAULT.withSolver(Tuning.Solver.ADAM).withClipNorm(2.5)
            .withLambdaMax(0.3));
    TrainingRequested weighted = request("dann", "mnist", "usps", null, 2)
        .withTuning(new Tuning.Request(null, null, null, true, 10.0));
    assertThat(validator.check(weighted).accepted().spec().config().tuning())
        .isEqualTo(Tuning.DEFAULT.withClassWeighting(true).withDomainLearningRateScale(10));
    // A field left out keeps the network's default: here the 64x64 network's clipping.
    TrainingRequested adam = request("dann", "mnist64", "mnist64", null, 2)
        .withTuning(new Tuning.Request("adam", null, null));
    assertThat(validator.check(adam).accepted().spec().config().tuning())
        .isEqualTo(Tuning.DEFAULT.withClipNorm(5).withSolver(Tuning.Solver.ADAM));
    // Every solver a request may name trains.
    for (String solver : Tuning.Solver.ids()) {
      assertThat(validator.check(request("dann", "mnist", "usps", null, 2)
          .withTuning(new Tuning.Request(solver, null, null))).accepted().spec().config()
          .tuning().solver().id()).isEqualTo(solver);
    }
  }

  @Test
  void invalidTuningFieldsAreProblemsNamingTheField() {
    Verdict v = validator.check(request("dann", "mnist", "usps", null, 2)
        .withTuning(new Tuning.Request("rmsprop", -1.0, 20.0)));
    assertThat(v.valid()).isFalse();
    assertThat(v.problems()).containsExactly(
        "tuning.solver must be one of sgd, adam; got 'rmsprop'",
        "tuning.clipNorm must be a finite number >= 0 (0 = off) or null (the default), got -1.0",
        "tuning.lambdaMax must be in (0, 10] or null (the default), got 20.0");
    assertThat(validator.check(request("adda", "mnist", "usps", null, 2)
        .withTuning(new Tuning.Request(null, null, 0.5))).problems())
        .containsExactly("tuning.lambdaMax applies to dann, cdan and cdan-e only, got 0.5"
            + " for method 'adda'");
  }

  @Test
  void everyProblemIsReported() {
    Verdict v = validator.check(request("dann", "nope", "usps", null, 0));
    assertThat(v.valid()).isFalse();
    assertThat(v.problems()).containsExactlyInAnyOrder(
        "epochs must be in 1..10000, got 0",
        "source dataset 'nope' is not ingested");
  }

  @Test
  void unknownMethodAndNetwork() {
    Verdict v = validator.check(request("magic", "mnist", "usps", "vgg", 1));
    assertThat(v.problems()).hasSize(2);
    assertThat(v.problems().get(0)).startsWith("method must be one of source-only, dann, adda");
    assertThat(v.problems().get(1)).startsWith("network must be one of ")
        .endsWith("got 'vgg'");
  }

  @Test
  void classesMustFitTheNetworkAndMatchAcrossDomains() {
    Verdict v = validator.check(request("dann", "abc", "usps", null, 1));
    assertThat(v.problems()).containsExactlyInAnyOrder(
        "network lenet predicts 10 classes but source dataset 'abc' has 3",
        "source dataset 'abc' and target dataset 'usps' have different classes: [a, b, c] vs "
            + DIGITS);
  }

  @Test
  void splitsMustHavePictures() {
    assertThat(validator.check(request("dann", "mnist", "empty", null, 1)).problems())
        .containsExactly("target dataset 'empty' has no pictures in its train split");
  }

  @Test
  void unreadableManifestIsAProblemOfTheRequest() {
    RequestValidator broken = new RequestValidator(name -> {
      throw new java.io.IOException("datasets/mnist/manifest.json: not a valid manifest");
    });
    assertThat(broken.check(request("dann", "mnist", "usps", null, 1)).problems())
        .contains("source dataset 'mnist' cannot be read: datasets/mnist/manifest.json: not a "
            + "valid manifest");
  }
}
