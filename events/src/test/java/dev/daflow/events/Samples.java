package dev.daflow.events;

import dev.daflow.events.DatasetIngested.ImageShape;
import dev.daflow.events.ModelEvaluated.Evaluation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One realistic event of each type (the examples of docs/events.md). */
final class Samples {
  static final String JOB = "job-7f3a";
  static final String MODEL = "dann-mnist-usps";
  static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

  private Samples() {}

  static DaflowEvent of(EventType type) {
    return switch (type) {
      case DATASET_INGESTED -> new DatasetIngested("usps", "catalog",
          ordered("train", 7291, "test", 2007), new ImageShape(1, 16, 16), DIGITS,
          "datasets/usps/manifest.json", sha('a'));
      case DATASET_REJECTED -> new DatasetRejected("my-digits", "upload",
          "labels.csv lists 1000 pictures but the archive holds 998");
      case DATASET_DELETED -> new DatasetDeleted("usps", "catalog", sha('a'));
      case TRAINING_REQUESTED -> requested().build();
      case TRAINING_REJECTED -> new TrainingRejected(JOB, "invalid request",
          List.of("epochs must be in 1..10000, got 0"));
      case TRAINING_STARTED -> new TrainingStarted(JOB, MODEL, "dann", "mnist", "usps", "lenet",
          10, 3, "trainer-service-5d8f9");
      case TRAINING_PROGRESS -> new TrainingProgress(JOB, 3, 10, 120, 468, 1524L, "train",
          ordered("label", 0.0831, "domain", 0.6712), 0.4621, 0.00562, 2150.5);
      case EPOCH_BUNDLE_SAVED -> new EpochBundleSaved(JOB, MODEL, 3, "train", "mnist", "usps",
          "checkpoints/job-7f3a/epoch-0003.bundle", sha('b'),
          ordered("label", 0.0912, "domain", 0.6834), 27.9, 2146.0);
      case TRAINING_COMPLETED -> new TrainingCompleted(JOB, MODEL, "bundles/job-7f3a.bundle",
          sha('c'), 10, 281.4, 2139.7, ordered("last_epoch_label", 0.0412,
              "last_epoch_domain", 0.6891), "mnist", "usps",
          "checkpoints/job-7f3a/epoch-0009.bundle", sha('d'));
      case TRAINING_FAILED -> new TrainingFailed(JOB, "IllegalStateException: loss is NaN", 4);
      case TRAINING_CANCELLED -> new TrainingCancelled(JOB, 6);
      case MODEL_EVALUATED -> new ModelEvaluated(MODEL, JOB, "bundle", "bundles/job-7f3a.bundle",
          9, List.of("0", "1", "2"),
          new Evaluation("mnist/test", 300, 0.99, perClass(1.0, 0.99, 0.98),
              Evaluation.matrix(new int[][] {{100, 0, 0}, {1, 99, 0}, {0, 2, 98}})),
          new Evaluation("usps/test", 200, 0.9, perClass(0.95, Double.NaN, 0.85),
              Evaluation.matrix(new int[][] {{95, 5, 0}, {0, 0, 0}, {10, 5, 85}})),
          ordered("source_val_accuracy", 0.991, "entropy", 0.1432, "im", 0.9215, "bnm", 0.8561,
              "snd", 4.0127, "class_ami", 0.8123, "dev", 0.3121, "largest_class_share", 0.164,
              "mean_prediction_entropy", 1.0647, "collapsed", 0.0));
      case MODEL_PROMOTED -> new ModelPromoted(MODEL, JOB, "bundles/job-7f3a.bundle", sha('c'), 2,
          "best-source-accuracy", ordered("source_test_accuracy", 0.9912));
      case MODEL_PROMOTION_DECLINED -> new ModelPromotionDeclined(MODEL, "job-8c1e",
          "checkpoints/job-8c1e/epoch-0004.bundle", sha('e'), "im",
          ModelPromotionDeclined.NOT_BETTER, "im", 0.8711, 2, 0.9215,
          "im 0.8711 of epoch 4 does not beat version 2's 0.9215 on usps");
    };
  }

  /** A valid request, to change one field of. */
  static RequestBuilder requested() {
    return new RequestBuilder();
  }

  static String sha(char c) {
    return String.valueOf(c).repeat(64);
  }

  @SuppressWarnings("unchecked")
  static <V> Map<String, V> ordered(Object... kv) {
    Map<String, V> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (V) kv[i + 1]);
    }
    return m;
  }

  private static Map<String, Double> perClass(double a, double b, double c) {
    return ordered("0", a, "1", b, "2", c);
  }

  /** Builds {@link TrainingRequested}s: valid defaults, one setter per field. */
  static final class RequestBuilder {
    String jobId = JOB;
    String modelName = null;
    String method = "dann";
    String source = "mnist";
    String target = "usps";
    String network = null;
    int epochs = 10;
    int batchSize = 128;
    Double learningRate = 0.01;
    Integer pretrainEpochs = null;
    String augmentation = "none";
    long seed = 42;
    int trainLimit = 0;
    dev.daflow.contract.Tuning.Request tuning = null;

    RequestBuilder jobId(String v) {
      jobId = v;
      return this;
    }

    RequestBuilder modelName(String v) {
      modelName = v;
      return this;
    }

    RequestBuilder method(String v) {
      method = v;
      return this;
    }

    RequestBuilder source(String v) {
      source = v;
      return this;
    }

    RequestBuilder target(String v) {
      target = v;
      return this;
    }

    RequestBuilder network(String v) {
      network = v;
      return this;
    }

    RequestBuilder epochs(int v) {
      epochs = v;
      return this;
    }

    RequestBuilder batchSize(int v) {
      batchSize = v;
      return this;
    }

    RequestBuilder learningRate(Double v) {
      learningRate = v;
      return this;
    }

    RequestBuilder pretrainEpochs(Integer v) {
      pretrainEpochs = v;
      return this;
    }

    RequestBuilder augmentation(String v) {
      augmentation = v;
      return this;
    }

    RequestBuilder trainLimit(int v) {
      trainLimit = v;
      return this;
    }

    RequestBuilder tuning(String solver, Double clipNorm, Double lambdaMax) {
      tuning = new dev.daflow.contract.Tuning.Request(solver, clipNorm, lambdaMax);
      return this;
    }

    RequestBuilder domainLearningRateScale(Double scale) {
      tuning = new dev.daflow.contract.Tuning.Request(null, null, null, null, scale);
      return this;
    }

    RequestBuilder classWeighting(Boolean on) {
      tuning = new dev.daflow.contract.Tuning.Request(null, null, null, on, null);
      return this;
    }

    TrainingRequested build() {
      return new TrainingRequested(jobId, modelName, method, source, target, network, epochs,
          batchSize, learningRate, pretrainEpochs, augmentation, seed, trainLimit, tuning);
    }
  }
}
