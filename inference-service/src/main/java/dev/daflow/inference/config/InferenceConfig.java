package dev.daflow.inference.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The inference-service's own configuration, {@code daflow.inference.*} (see {@code
 * application.properties}); Kafka, the object store and the service name are the settings every
 * service shares ({@code CommonConfig} of service-common). Each property can be set by its
 * environment variable, named the Quarkus way: {@code daflow.inference.max-concurrent} is {@code
 * DAFLOW_INFERENCE_MAX_CONCURRENT}.
 */
@ConfigMapping(prefix = "daflow")
public interface InferenceConfig {

  /** What this service does with requests and models, {@code daflow.inference.*}. */
  Inference inference();

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

    /** Dynamic batching of concurrent requests, {@code daflow.inference.batching.*}. */
    Batching batching();
  }

  /**
   * {@code daflow.inference.batching.*}: concurrent requests for the same model are gathered into
   * one forward pass ({@code DynamicBatcher}). A batch gathers at most {@code max-concurrent}
   * requests, the ones admitted at once.
   */
  interface Batching {
    /** Whether requests are batched ({@code DAFLOW_INFERENCE_BATCHING_ENABLED}). */
    @WithDefault("true")
    boolean enabled();

    /**
     * The longest a batch that could run waits for more requests ({@code
     * DAFLOW_INFERENCE_BATCHING_MAX_DELAY}); it waits only while another request for the model
     * is being decoded, so a lone client never waits.
     */
    @WithDefault("2ms")
    Duration maxDelay();

    /**
     * Most pictures in one forward pass ({@code DAFLOW_INFERENCE_BATCHING_MAX_BATCH}); a request
     * with more runs on its own.
     */
    @WithDefault("64")
    int maxBatch();
  }
}
