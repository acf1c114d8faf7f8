package dev.daflow.data.config;

import dev.daflow.data.service.DatasetMetrics;
import dev.daflow.data.service.DatasetRepository;
import dev.daflow.service.common.startup.BackgroundSetup;
import dev.daflow.service.common.startup.SetupSteps;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What must exist before the service is ready: DAFlow's topics, the buckets, and the dataset
 * gauges filled from the stored manifests. Done in the background by service-common's set-up
 * ({@link SetupSteps}), retried with the service's back-off while Kafka or the object store is
 * down (readiness stays DOWN meanwhile), so that the service never crash-loops on a dependency
 * that starts later. At start, the work folder is cleaned first.
 */
@Singleton
public class StartupTasks {
  private static final Logger LOG = LoggerFactory.getLogger(StartupTasks.class);

  private final DataConfig config;
  private final BackgroundSetup setup;

  public StartupTasks(DataConfig config, SetupSteps steps, DatasetRepository repository,
      DatasetMetrics metrics) {
    this.config = config;
    this.setup = steps.background("data-service", List.of(steps.topics(), steps.buckets(),
        BackgroundSetup.Step.of("read the stored datasets", () -> {
          var manifests = repository.list();
          metrics.refresh(manifests);
          LOG.info("{} dataset(s) stored", manifests.size());
        })));
  }

  void onStart(@Observes StartupEvent event) {
    cleanWorkFolder(DataProducers.workFolder(config));
    setup.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    setup.close();
  }

  /** Whether the topics and buckets exist and the gauges are filled. */
  public boolean done() {
    return setup.done();
  }

  /** What is still missing, for the readiness check; {@code null} when done. */
  public String problem() {
    return setup.problem();
  }

  /** Removes what an earlier run left in the work folder (a crash mid-ingestion). */
  private static void cleanWorkFolder(Path work) {
    if (!Files.isDirectory(work)) {
      return;
    }
    try (Stream<Path> s = Files.walk(work)) {
      s.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(work)).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          LOG.warn("cannot delete {}: {}", p, e.toString());
        }
      });
    } catch (IOException e) {
      LOG.warn("cannot clean {}: {}", work, e.toString());
    }
  }
}
