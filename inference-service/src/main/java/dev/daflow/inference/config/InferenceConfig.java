package dev.daflow.inference.config;

import dev.daflow.platform.config.KafkaGroup;
import dev.daflow.platform.config.StorageSettings;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The inference-service's configuration, everything under {@code daflow.*} (see {@code
 * application.properties}). Each property can be set by its environment variable, named the
 * Quarkus way: {@code daflow.inference.max-concurrent} is {@code DAFLOW_INFERENCE_MAX_CONCURRENT},
 * {@code daflow.storage.access-key} is {@code DAFLOW_STORAGE_ACCESS_KEY}.
 */
@ConfigMapping(prefix = "daflow")
public interface InferenceConfig {

  /** The Kafka cluster the events travel on ({@code daflow.kafka.*}). */
  Kafka kafka();

  /** The object store (MinIO, S3Proxy or any S3 server), {@code daflow.storage.*}. */
  StorageSettings storage();

  /** What this service does with requests and models, {@code daflow.inference.*}. */
  Inference inference();

  /** The shared Kafka group plus the replication factor of the topics this service creates. */
  interface Kafka extends KafkaGroup {
    /** Replication factor of topics created at start ({@code DAFLOW_KAFKA_REPLICATION}). */
    @WithDefault("1")
    short replication();
  }

  /** {@code daflow.inference.*}. */
  interface Inference {
    /**
     * Largest request body ({@code DAFLOW_INFERENCE_MAX_BODY_BYTES}, e.g. {@code 4M} or {@code
     * 4194304}); a larger one is answered 413.
     */
    @WithDefault("4M")
    MemorySize maxBodyBytes();

    /** Most pictures in one infer request ({@code DAFLOW_INFERENCE_MAX_BATCH}); more: 400. */
    @WithDefault("256")
    int maxBatch();

    /**
     * Largest picture, in pixels (height x width), in a tensor or an uploaded PNG/JPEG ({@code
     * DAFLOW_INFERENCE_MAX_PICTURE_PIXELS}): a small compressed file can decode to a huge
     * picture.
     */
    @WithDefault("4194304")
    int maxPicturePixels();

    /**
     * Requests decoded and predicted at once ({@code DAFLOW_INFERENCE_MAX_CONCURRENT}); others
     * wait for a turn.
     */
    @WithDefault("4")
    int maxConcurrent();

    /**
     * How long a request waits for a turn before it is refused with 429 ({@code
     * DAFLOW_INFERENCE_QUEUE_TIMEOUT}).
     */
    @WithDefault("2s")
    Duration queueTimeout();

    /**
     * This replica's name ({@code DAFLOW_INFERENCE_REPLICA_ID}; default: the host name). Every
     * replica reads every promotion, in consumer group {@code daflow-inference-<replica-id>}.
     */
    Optional<String> replicaId();

    /**
     * How often the model records in the store are read again, to catch a promotion this replica
     * missed ({@code DAFLOW_INFERENCE_RESCAN_INTERVAL}; {@code 0s}: only at start).
     */
    @WithDefault("5m")
    Duration rescanInterval();
  }
}
