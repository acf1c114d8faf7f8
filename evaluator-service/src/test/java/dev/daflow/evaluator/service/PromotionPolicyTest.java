package dev.daflow.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.evaluator.service.PromotionPolicy.Candidate;
import dev.daflow.events.ModelEvaluated;
import dev.daflow.ml.eval.Validator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromotionPolicyTest {

  /** An evaluation with the given accuracies on each domain. */
  static StoredEvaluation evaluation(String artifact, int epoch, double source, double target) {
    return evaluation(artifact, epoch, source, target, null);
  }

  /** An evaluation with the given accuracies and label-free validators. */
  static StoredEvaluation evaluation(String artifact, int epoch, double source, double target,
      Map<String, Double> validators) {
    String key = artifact.equals(StoredEvaluation.BUNDLE) ? "checkpoints/j/final.evaluation.json"
        : String.format("checkpoints/j/epoch-%04d.evaluation.json", epoch);
    String object = artifact.equals(StoredEvaluation.BUNDLE) ? "bundles/j.bundle"
        : String.format("checkpoints/j/epoch-%04d.bundle", epoch);
    return new StoredEvaluation(key, new ModelEvaluated("m", "j", artifact, object, epoch,
        List.of("0", "1"), result("mnist/test", source), result("usps/test", target),
        validators),
        "a".repeat(63) + epoch, "2026-01-01T00:00:00Z", 1.0);
  }

  private static ModelEvaluated.Evaluation result(String dataset, double accuracy) {
    return new ModelEvaluated.Evaluation(dataset, 100, accuracy, Map.of("0", accuracy,
        "1", accuracy), List.of(List.of(50, 0), List.of(0, 50)));
  }

  @Test
  void bestSourcePicksBySourceAccuracyEvenWhenTargetAccuracyDisagrees() {
    // Epoch 1 is better on the source, epoch 2 much better on the target: epoch 1 wins.
    StoredEvaluation e1 = evaluation(StoredEvaluation.CHECKPOINT, 1, 0.98, 0.60);
    StoredEvaluation e2 = evaluation(StoredEvaluation.CHECKPOINT, 2, 0.95, 0.95);
    StoredEvaluation fin = evaluation(StoredEvaluation.BUNDLE, 2, 0.95, 0.95);

    Candidate chosen = PromotionPolicy.named("best-source").choose(Candidate.of(fin),
        List.of(Candidate.of(e2), Candidate.of(e1)));

    assertThat(chosen.epoch()).isEqualTo(1);
    assertThat(chosen.artifact()).isEqualTo(StoredEvaluation.CHECKPOINT);
    assertThat(chosen.bundleKey()).isEqualTo("checkpoints/j/epoch-0001.bundle");
    assertThat(chosen.sha256()).isEqualTo(e1.sha256());
    assertThat(chosen.evaluationKey()).isEqualTo(e1.key());
  }

  @Test
  void bestSourceKeepsTheFinalBundleOnATieAndNeverPicksNaN() {
    StoredEvaluation e0 = evaluation(StoredEvaluation.CHECKPOINT, 0, Double.NaN, 0.99);
    StoredEvaluation e1 = evaluation(StoredEvaluation.CHECKPOINT, 1, 0.90, 0.10);
    StoredEvaluation e2 = evaluation(StoredEvaluation.CHECKPOINT, 2, 0.97, 0.10);
    StoredEvaluation fin = evaluation(StoredEvaluation.BUNDLE, 2, 0.97, 0.10);
    PromotionPolicy policy = PromotionPolicy.named("best-source");

    assertThat(policy.choose(Candidate.of(fin), List.of(Candidate.of(e0), Candidate.of(e1),
        Candidate.of(e2))).artifact()).isEqualTo(StoredEvaluation.BUNDLE);
    // Without the final bundle in the lead, the later of two equal epochs wins.
    StoredEvaluation worseFinal = evaluation(StoredEvaluation.BUNDLE, 3, 0.5, 0.99);
    StoredEvaluation e3 = evaluation(StoredEvaluation.CHECKPOINT, 3, 0.97, 0.10);
    assertThat(policy.choose(Candidate.of(worseFinal), List.of(Candidate.of(e3),
        Candidate.of(e2), Candidate.of(e0))).epoch()).isEqualTo(3);
    // No epochs evaluated: the final bundle.
    assertThat(policy.choose(Candidate.of(worseFinal), List.of()).artifact())
        .isEqualTo(StoredEvaluation.BUNDLE);
  }

  @Test
  void finalPromotesTheJobsBundleWhateverTheEpochsScored() {
    StoredEvaluation e1 = evaluation(StoredEvaluation.CHECKPOINT, 1, 0.99, 0.99);
    StoredEvaluation fin = evaluation(StoredEvaluation.BUNDLE, 2, 0.50, 0.50);

    Candidate chosen = PromotionPolicy.named("final").choose(Candidate.of(fin),
        List.of(Candidate.of(e1)));

    assertThat(chosen.bundleKey()).isEqualTo("bundles/j.bundle");
    assertThat(chosen.artifact()).isEqualTo(StoredEvaluation.BUNDLE);
  }

  @Test
  void candidatesCarryNoTargetAccuracy() {
    // The policy's input has no component a target figure could hide in.
    assertThat(Candidate.class.getRecordComponents())
        .extracting(java.lang.reflect.RecordComponent::getName)
        .containsExactly("artifact", "epoch", "bundleKey", "sha256", "sourceAccuracy",
            "evaluationKey", "validators");
    // The validators are those of model.evaluated, measured without target labels.
    StoredEvaluation e = evaluation(StoredEvaluation.CHECKPOINT, 1, 0.9, 0.4,
        Map.of("im", 1.2, "collapsed", 0.0));
    assertThat(Candidate.of(e).validators()).isEqualTo(e.report().validators())
        .doesNotContainValue(0.4);
  }

  @Test
  void aValidatorPolicyPicksTheEpochItRatesBestEvenWhenTargetAccuracyDisagrees() {
    StoredEvaluation e0 = evaluation(StoredEvaluation.CHECKPOINT, 0, 0.99, 0.95,
        Map.of("im", 1.1, "entropy", 0.30, "collapsed", 0.0));
    StoredEvaluation e1 = evaluation(StoredEvaluation.CHECKPOINT, 1, 0.90, 0.40,
        Map.of("im", 1.7, "entropy", 0.20, "collapsed", 0.0));
    StoredEvaluation fin = evaluation(StoredEvaluation.BUNDLE, 2, 0.95, 0.90,
        Map.of("im", 1.5, "entropy", 0.10, "collapsed", 0.0));
    List<Candidate> epochs = List.of(Candidate.of(e0), Candidate.of(e1));

    PromotionPolicy im = PromotionPolicy.named("im");
    assertThat(im.name()).isEqualTo("im");
    assertThat(im.validator()).contains(Validator.IM);
    assertThat(im.choose(Candidate.of(fin), epochs).epoch()).isEqualTo(1); // higher is better
    // Entropy: lower is better, the final bundle wins.
    assertThat(PromotionPolicy.named("entropy").choose(Candidate.of(fin), epochs).artifact())
        .isEqualTo(StoredEvaluation.BUNDLE);
    // No value (an evaluation from before validators): never chosen over one with a value.
    StoredEvaluation unmeasured = evaluation(StoredEvaluation.BUNDLE, 2, 0.99, 0.99);
    assertThat(im.choose(Candidate.of(unmeasured), epochs).epoch()).isEqualTo(1);
    assertThat(PromotionPolicy.named("final").validator()).isEmpty();
    assertThat(PromotionPolicy.named("best-source").validator()).isEmpty();
  }

  @Test
  void aCollapsedCandidateIsChosenOnlyWhenAllAre() {
    // Epoch 1 collapsed: the best IM and source accuracy of all, yet not chosen.
    StoredEvaluation e0 = evaluation(StoredEvaluation.CHECKPOINT, 0, 0.90, 0.5,
        Map.of("im", 1.0, "collapsed", 0.0));
    StoredEvaluation e1 = evaluation(StoredEvaluation.CHECKPOINT, 1, 0.99, 0.1,
        Map.of("im", 2.0, "collapsed", 1.0));
    StoredEvaluation fin = evaluation(StoredEvaluation.BUNDLE, 1, 0.99, 0.1,
        Map.of("im", 2.0, "collapsed", 1.0));
    List<Candidate> epochs = List.of(Candidate.of(e1), Candidate.of(e0));
    for (String name : List.of("im", "best-source")) {
      Candidate chosen = PromotionPolicy.named(name).choose(Candidate.of(fin), epochs);
      assertThat(chosen.epoch()).as(name).isZero();
      assertThat(chosen.collapsed()).as(name).isFalse();
    }
    assertThat(PromotionPolicy.named("im").choose(Candidate.of(fin), List.of(Candidate.of(e1)))
        .collapsed()).isTrue();
  }

  @Test
  void unknownPolicyNamesTheValidOnes() {
    assertThatThrownBy(() -> PromotionPolicy.named("best-target"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one of 'final', 'best-source', 'source-val-accuracy', "
            + "'entropy', 'im', 'bnm', 'snd', 'class-ami', 'dev'")
        .hasMessageContaining("best-target");
    assertThat(PromotionPolicy.named(PromotionPolicy.DEFAULT).validator())
        .contains(Validator.SOURCE_VAL_ACCURACY);
    assertThat(PromotionPolicy.named("class-ami").validator()).contains(Validator.CLASS_AMI);
    assertThat(PromotionPolicy.named(" best-source ").name()).isEqualTo("best-source");
  }
}
