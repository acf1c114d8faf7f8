package dev.daflow.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.contract.Tuning;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TrainingRequestedTest {

  @Test
  void theSampleRequestsAreValid() {
    assertThat(Samples.requested().build().validate()).isEmpty();
    assertThat(Samples.requested().method("adda").pretrainEpochs(5).learningRate(null)
        .augmentation("colour").network("lenet").modelName("my-model").trainLimit(3000).build()
        .validate()).isEmpty();
    assertThat(Samples.requested().method("source-only").epochs(10_000).batchSize(4096).build()
        .requireValid().jobId()).isEqualTo(Samples.JOB);
    assertThat(Samples.requested().tuning("adam", 5.0, 0.5).build().validate()).isEmpty();
    assertThat(Samples.requested().tuning(null, 0.0, 10.0).build().validate()).isEmpty();
    assertThat(Samples.requested().method("adda").tuning(null, 5.0, null).build().validate())
        .isEmpty();
    assertThat(Samples.requested().method("source-only").tuning("sgd", null, null).build()
        .validate()).isEmpty();
    assertThat(Samples.requested().tuning(null, null, null).build().validate()).isEmpty();
  }

  @Test
  void noTuningReadsAsTheDefault() {
    TrainingRequested r = Samples.requested().build();
    assertThat(r.tuning()).isNull();
    assertThat(r.tuningOrDefault()).isEqualTo(Tuning.Request.NONE);
    Tuning.Request t = new Tuning.Request("adam", 1.0, null);
    assertThat(r.withTuning(t).tuningOrDefault()).isEqualTo(t);
    assertThat(r.withTuning(t).withTuning(null)).isEqualTo(r);
  }

  static Stream<Arguments> badFields() {
    return Stream.of(
        bad(b -> b.jobId(""), "jobId must be 1-128 letters, digits, '.', '_' or '-' (no '..'), "
            + "got ''"),
        bad(b -> b.jobId("job 1"), "jobId must be 1-128 letters, digits, '.', '_' or '-' "
            + "(no '..'), got 'job 1'"),
        bad(b -> b.jobId("a..b"), "jobId must be 1-128 letters, digits, '.', '_' or '-' "
            + "(no '..'), got 'a..b'"),
        bad(b -> b.jobId("."), "jobId must be 1-128 letters, digits, '.', '_' or '-' "
            + "(no '..'), got '.'"),
        bad(b -> b.jobId("j".repeat(129)), "jobId must be 1-128"),
        bad(b -> b.jobId(null), "jobId is required"),
        bad(b -> b.modelName("a/b"), "modelName must be 1-128 letters, digits, '.', '_' or '-' "
            + "(no '..'), got 'a/b'"),
        bad(b -> b.method("DANN2"), "method must be one of source-only, dann, adda, cdan,"
            + " cdan-e, mcc, shot-im, shot, mean-teacher; got 'DANN2'"),
        bad(b -> b.method(null), "method must be one of source-only, dann, adda, cdan,"
            + " cdan-e, mcc, shot-im, shot, mean-teacher; got null"),
        bad(b -> b.source(" "), "source must be 1-128 letters, digits, '.', '_' or '-' (no '..'), "
            + "got ' '"),
        bad(b -> b.target(null), "target is required"),
        bad(b -> b.network(""), "network must be one of lenet, dann-svhn, adda-mnist64,"
            + " adda-mnist64-in, dann-mnistm, lenet-bn; got ''"),
        bad(b -> b.network("vgg"), "network must be one of lenet, dann-svhn, adda-mnist64,"
            + " adda-mnist64-in, dann-mnistm, lenet-bn; got 'vgg'"),
        bad(b -> b.epochs(0), "epochs must be in 1..10000, got 0"),
        bad(b -> b.epochs(10_001), "epochs must be in 1..10000, got 10001"),
        bad(b -> b.batchSize(0), "batchSize must be in 1..4096, got 0"),
        bad(b -> b.batchSize(4097), "batchSize must be in 1..4096, got 4097"),
        bad(b -> b.learningRate(0.0), "learningRate must be in (0, 10) or null (the default), "
            + "got 0.0"),
        bad(b -> b.learningRate(10.0), "learningRate must be in (0, 10) or null (the default), "
            + "got 10.0"),
        bad(b -> b.learningRate(Double.NaN), "learningRate must be in (0, 10) or null (the "
            + "default), got NaN"),
        bad(b -> b.pretrainEpochs(5), "pretrainEpochs applies to adda, shot-im and shot only, got"
            + " 5 for method "
            + "'dann'"),
        bad(b -> b.method("adda").pretrainEpochs(0), "pretrainEpochs must be in 1..10000, got 0"),
        bad(b -> b.augmentation("color"), "augmentation must be one of none, colour; got "
            + "'color'"),
        bad(b -> b.trainLimit(-1), "trainLimit must be >= 0 (0 = all pictures), got -1"),
        bad(b -> b.tuning("rmsprop", null, null), "tuning.solver must be one of sgd, adam; got "
            + "'rmsprop'"),
        bad(b -> b.method("adda").tuning("sgd", null, null), "tuning.solver applies to "
            + "source-only, dann, cdan, cdan-e and mcc only (adda and mean-teacher always"
            + " use adam, shot-im and shot sgd), got 'sgd'"),
        bad(b -> b.tuning(null, -1.0, null), "tuning.clipNorm must be a finite number >= 0 "
            + "(0 = off) or null (the default), got -1.0"),
        bad(b -> b.tuning(null, Double.POSITIVE_INFINITY, null), "tuning.clipNorm must be a "
            + "finite number >= 0"),
        bad(b -> b.tuning(null, Double.NaN, null), "tuning.clipNorm must be a finite number"),
        bad(b -> b.tuning(null, null, 0.0), "tuning.lambdaMax must be in (0, 10] or null "
            + "(the default), got 0.0"),
        bad(b -> b.tuning(null, null, 10.5), "tuning.lambdaMax must be in (0, 10]"),
        bad(b -> b.method("source-only").tuning(null, null, 0.5), "tuning.lambdaMax applies to "
            + "dann, cdan and cdan-e only, got 0.5 for method 'source-only'"),
        bad(b -> b.method("adda").classWeighting(true), "tuning.classWeighting applies to dann "
            + "only, got true for method 'adda'"),
        bad(b -> b.domainLearningRateScale(0.0), "tuning.domainLearningRateScale must be in "
            + "(0, 100] or null (the default), got 0.0"),
        bad(b -> b.method("source-only").domainLearningRateScale(10.0), "tuning."
            + "domainLearningRateScale applies to dann only, got 10.0 for method 'source-only'"),
        bad(b -> b.tuning("sgd", null, null).method("adda"), "tuning.solver applies to "
            + "source-only, dann, cdan, cdan-e and mcc only (adda and mean-teacher always"
            + " use adam, shot-im and shot sgd), got 'sgd' for "
            + "method 'adda'"));
  }

  private static Arguments bad(UnaryOperator<Samples.RequestBuilder> change, String problem) {
    return Arguments.of(change, problem);
  }

  @ParameterizedTest
  @MethodSource("badFields")
  void eachBadFieldIsTheOneProblemFound(UnaryOperator<Samples.RequestBuilder> change,
      String problem) {
    TrainingRequested r = change.apply(Samples.requested()).build();
    List<String> problems = r.validate();
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0)).startsWith(problem);
  }

  @Test
  void allProblemsAreReportedTogether() {
    TrainingRequested r = Samples.requested().epochs(0).batchSize(0).method("x").build();
    assertThat(r.validate()).hasSize(3);
    assertThatThrownBy(r::requireValid)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid training request job-7f3a: method must be one of source-only, dann, "
            + "adda, cdan, cdan-e, mcc, shot-im, shot, mean-teacher; got 'x'; epochs must be in"
            + " 1..10000, got 0; batchSize must be in 1..4096, "
            + "got 0");
  }

  @Test
  void theModelNameDefaultsToMethodSourceTarget() {
    assertThat(Samples.requested().build().modelNameOrDefault()).isEqualTo("dann-mnist-usps");
    assertThat(Samples.requested().modelName("digits").build().modelNameOrDefault())
        .isEqualTo("digits");
  }

  @Test
  void anInvalidRequestStillTravelsSoItCanBeRejected() throws Exception {
    EventCodec codec = EventCodec.forService("trainer-service");
    TrainingRequested r = Samples.requested().epochs(0).method("dan").build();
    TrainingRequested got = codec.decode(Transport.deliver(codec.encode(r)),
        TrainingRequested.class).event();
    assertThat(got).isEqualTo(r);
    assertThat(got.validate()).containsExactly(
        "method must be one of source-only, dann, adda, cdan, cdan-e, mcc, shot-im,"
            + " shot, mean-teacher; got 'dan'",
        "epochs must be in 1..10000, got 0");
  }
}
