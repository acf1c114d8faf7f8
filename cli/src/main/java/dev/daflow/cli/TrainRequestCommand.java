package dev.daflow.cli;

import dev.daflow.contract.Method;
import dev.daflow.contract.Recipe;
import dev.daflow.events.EventCodec;
import dev.daflow.events.TrainingRequested;
import dev.daflow.platform.kafka.EventPublisher;
import dev.daflow.platform.kafka.KafkaSettings;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code daflow train}: asks the platform to train a model: publishes a {@code
 * training.requested} event on Kafka, prints the job id, and with {@code --watch} follows the job
 * as {@code daflow watch} does. Training runs in trainer-service, not here ({@code daflow local
 * train} trains on this machine).
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    resourceBundle = "dev.daflow.cli.TrainingHelp",
    description = {"Request a training job from the platform (publishes training.requested) and"
        + " print its job id on stdout.",
        "Follow it with --watch or 'daflow watch JOB'. ('daflow local train' trains on this"
            + " machine instead.)"})
final class TrainRequestCommand extends DaflowCommand {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);
  private static final Random RANDOM = new SecureRandom();

  @Option(names = "--method", required = true, paramLabel = "METHOD",
      converter = Converters.MethodConverter.class,
      description = "${bundle:methods} (docs/methods.md).")
  Method method;

  @Option(names = "--source", required = true, paramLabel = "DATASET",
      converter = Converters.NameConverter.class,
      description = "Labelled source dataset, as ingested into the platform (e.g. mnist).")
  String source;

  @Option(names = "--target", required = true, paramLabel = "DATASET",
      converter = Converters.NameConverter.class,
      description = "Unlabelled target dataset, as ingested (e.g. usps).")
  String target;

  @Mixin
  TrainingOptions training;

  @Option(names = "--model", paramLabel = "NAME", converter = Converters.NameConverter.class,
      description = "The model this job trains a version of. Default: METHOD-SOURCE-TARGET.")
  String model;

  @Option(names = "--job-id", paramLabel = "ID", converter = Converters.NameConverter.class,
      description = "The job id. Default: METHOD-SOURCE-TARGET-<date>-<time>-<4 hex>. Reusing"
          + " the id of a cancelled job resumes it from its last checkpoint.")
  String jobId;

  @Option(names = "--watch", description = "Then follow the job as 'daflow watch' does (exit"
      + " code 1 if it fails, is cancelled or is rejected).")
  boolean watch;

  @Option(names = "--kafka", paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers. Default: $KAFKA_BOOTSTRAP_SERVERS, else stack.env.")
  String kafka;

  @Mixin
  Endpoints endpoints;

  /** The event the options describe. */
  TrainingRequested request(String id) {
    // The defaults the trainer applies (the contract's: epochs, batch size, ...) are written out
    // so that the event says what will run; the learning rate, pretraining and network stay
    // null (the method's default, and the trainer's choice for the datasets' picture shapes).
    if (training.pretrainEpochs != null && !method.usesPretraining()) {
      throw new IllegalArgumentException("--pretrain-epochs applies to "
          + Method.pretrainingText() + " only");
    }
    String ignored = training.ignoredTuning(method);
    if (ignored != null) {
      throw new IllegalArgumentException(ignored);
    }
    Recipe defaults = method.recipe();
    return new TrainingRequested(id, model, method.id(), source, target, training.network,
        training.epochs != null ? training.epochs : defaults.epochs(),
        training.batchSize != null ? training.batchSize : defaults.batchSize(),
        training.learningRate, training.pretrainEpochs, training.augmentation(method).id(),
        training.seed(method), training.trainLimit(method), training.requestTuning())
        .requireValid();
  }

  /** A readable, unique job id: {@code dann-mnist-usps-20261124-153012-7f3a}. */
  static String newJobId(String method, String source, String target, Instant now) {
    String prefix = method + "-" + source + "-" + target;
    if (prefix.length() > 100) {
      prefix = prefix.substring(0, 100);
    }
    byte[] random = new byte[2];
    RANDOM.nextBytes(random);
    return prefix + "-" + STAMP.format(now.atZone(ZoneId.systemDefault())) + "-"
        + HexFormat.of().formatHex(random);
  }

  @Override
  int execute() {
    String id = jobId != null ? jobId
        : newJobId(method.id(), source, target, Instant.now());
    TrainingRequested request = request(id);
    KafkaSettings kafkaSettings = endpoints.kafkaSettings(kafka);
    String bootstrap = kafkaSettings.bootstrapServers();
    publish(kafkaSettings, request);
    out().println(id);
    out().flush();
    err().printf(Locale.ROOT, "requested %s %s -> %s (%s, epochs %d, batch %d, model %s) on %s"
        + " (topic %s)%n",
        request.method(), source, target,
        training.network == null ? "default network" : training.network,
        request.epochs(), request.batchSize(), request.modelNameOrDefault(), bootstrap,
        EventPublisher.requestsTopic(kafkaSettings));
    if (!watch) {
      err().println("follow it with: daflow watch " + id);
      err().flush();
      return 0;
    }
    err().flush();
    return JobWatcher.follow(kafkaSettings, id, null, JobWatcher.DEFAULT_PROMOTION_WAIT, out(), err(),
        System.console() != null).exitCode();
  }

  /** Publishes {@code request} and waits for the broker's acknowledgement. */
  static void publish(KafkaSettings kafka, TrainingRequested request) {
    String bootstrap = kafka.bootstrapServers();
    try (EventPublisher publisher = new EventPublisher(kafka, EventCodec.forService("cli"))) {
      publisher.publish(request);
    } catch (EventPublisher.PublishException e) {
      throw new IllegalStateException(e.getMessage() + " (is Kafka running at " + bootstrap
          + "?)", e);
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new IllegalStateException("cannot publish to Kafka at " + bootstrap + ": "
          + e.getMessage(), e);
    }
  }
}
