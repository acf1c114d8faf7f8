package dev.daflow.data.config;

import dev.daflow.data.messaging.KafkaDatasetEvents;
import dev.daflow.data.service.CatalogDatasets;
import dev.daflow.data.service.DatasetEvents;
import dev.daflow.data.service.DatasetMetrics;
import dev.daflow.data.service.DatasetPreviews;
import dev.daflow.data.service.DatasetRepository;
import dev.daflow.data.service.DownloadPolicy;
import dev.daflow.data.service.Downloads;
import dev.daflow.data.service.IngestService;
import dev.daflow.data.service.StoredDatasets;
import dev.daflow.ml.data.DatasetCatalog;
import dev.daflow.platform.datasets.DatasetStore;
import dev.daflow.platform.kafka.EventPublisher;
import dev.daflow.service.common.retry.Backoff;
import dev.daflow.storage.ObjectStore;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The service's domain objects, built from {@link DataConfig}; they know nothing of CDI. The
 * clients they use (object store, datasets in it, Kafka publisher) come from service-common's
 * {@code CommonProducers}.
 */
@Singleton
public class DataProducers {

  @Produces
  @Singleton
  DatasetRepository datasetRepository(DatasetStore datasets, ObjectStore store) {
    return new StoredDatasets(datasets, store);
  }

  @Produces
  @Singleton
  DatasetEvents datasetEvents(EventPublisher publisher) {
    return new KafkaDatasetEvents(publisher);
  }

  @Produces
  @Singleton
  CatalogDatasets catalogDatasets(DataConfig config) {
    DataConfig.Data data = config.data();
    Path cache = cache(config);
    DatasetCatalog catalog = new DatasetCatalog(data.mirror().orElse(null),
        data.mirrorUrl().orElse(null), cache, data.connectTimeout(), data.downloadTimeout());
    List<Path> roots = new ArrayList<>();
    data.mirror().ifPresent(roots::add);
    roots.add(cache);
    return new CatalogDatasets(catalog, roots);
  }

  @Produces
  @Singleton
  IngestService ingestService(DataConfig config, DatasetRepository repository,
      DatasetEvents events, CatalogDatasets catalog, DatasetMetrics metrics, Backoff backoff) {
    DataConfig.Data data = config.data();
    DownloadPolicy policy = DownloadPolicy.of(
        data.download().allowedHosts().orElseGet(DataProducers::catalogHosts));
    return new IngestService(repository, events, catalog,
        new Downloads(policy, new Downloads.Timeouts(data.connectTimeout(), data.readTimeout(),
            data.downloadTimeout())), metrics,
        workFolder(config),
        new IngestService.Limits(data.maxUploadBytes(), data.maxExtractedBytes(),
            data.maxConcurrentIngests(), data.queueTimeout()), backoff);
  }

  @Produces
  @Singleton
  DatasetPreviews datasetPreviews(IngestService ingest, DatasetStore datasets,
      ObjectStore store) {
    return new DatasetPreviews(ingest, datasets, store, java.time.Clock.systemUTC());
  }

  /** The hosts of the built-in catalog's publishers: what URL ingestion may use by default. */
  static List<String> catalogHosts() {
    return DatasetCatalog.names().stream()
        .flatMap(n -> DatasetCatalog.files(n).stream())
        .flatMap(f -> f.urls().stream())
        .map(u -> u.getHost().toLowerCase(java.util.Locale.ROOT))
        .distinct().sorted().toList();
  }

  /** The download cache: {@code daflow.data.cache}, else {@code ~/.cache/daflow/datasets}. */
  static Path cache(DataConfig config) {
    return config.data().cache().orElseGet(DatasetCatalog::defaultCache)
        .toAbsolutePath().normalize();
  }

  /** Where uploads and downloads are unpacked while ingested: {@code <cache>/.incoming}. */
  static Path workFolder(DataConfig config) {
    return cache(config).resolve(".incoming");
  }
}
