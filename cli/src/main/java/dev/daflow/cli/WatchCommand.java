package dev.daflow.cli;

import dev.daflow.platform.kafka.KafkaSettings;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code daflow watch JOB}: follows a training job through its events on Kafka: a progress bar
 * per epoch, a line per checkpoint, then its evaluation and promotion. Exit code 0 when it
 * completed, 1 when it failed, was cancelled or rejected (with the reason), or the watch timed
 * out.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Follow a training job: progress bar, checkpoints, evaluation, promotion.",
        "Reads the job's events from Kafka from the start, so a finished job is replayed."
            + " Exit code 0 when it completed, 1 when it failed, was cancelled or rejected."})
final class WatchCommand extends DaflowCommand {

  @Parameters(index = "0", paramLabel = "JOB", converter = Converters.NameConverter.class,
      description = "The job id (as 'daflow train' printed it).")
  String jobId;

  @Option(names = "--timeout", paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description = "Give up (exit code 1) after this long, e.g. 30m. Default: no limit.")
  Duration timeout;

  @Option(names = "--promotion-wait", paramLabel = "DURATION", defaultValue = "5m",
      converter = Converters.DurationConverter.class,
      description = "After the job completes, how long to wait for its model's promotion."
          + " Default: ${DEFAULT-VALUE}.")
  Duration promotionWait;

  @Option(names = "--kafka", paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers. Default: $KAFKA_BOOTSTRAP_SERVERS, else stack.env.")
  String kafka;

  @Mixin
  Endpoints endpoints;

  @Override
  int execute() {
    KafkaSettings kafkaSettings = endpoints.kafkaSettings(kafka);
    String bootstrap = kafkaSettings.bootstrapServers();
    err().println("watching job " + jobId + " on " + bootstrap);
    err().flush();
    return JobWatcher.follow(kafkaSettings, jobId, timeout, promotionWait, out(), err(),
        System.console() != null).exitCode();
  }
}
