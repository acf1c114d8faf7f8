package dev.daflow.data.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The data-service's own configuration, {@code daflow.data.*} (see {@code
 * application.properties}); Kafka, the object store and the service name are the settings every
 * service shares ({@code CommonConfig} of service-common). Each property can be set by its
 * environment variable, named the Quarkus way: {@code daflow.data.max-upload-bytes} is {@code
 * DAFLOW_DATA_MAX_UPLOAD_BYTES}.
 */
@ConfigMapping(prefix = "daflow")
public interface DataConfig {

  /** Where datasets come from and how large they may be, {@code daflow.data.*}. */
  Data data();

  /** {@code daflow.data.*}. */
  interface Data {
    /**
     * A local folder laid out like {@code ../shared/datasets} ({@code mnist/}, {@code usps/}...)
     * where catalog files are looked up first ({@code DAFLOW_DATA_MIRROR}). Empty: none, files
     * come from the cache or the internet.
     */
    Optional<Path> mirror();

    /**
     * A server laid out like the mirror folder, e.g. {@code http://files.internal/datasets/},
     * asked before the publishers for catalog files missing from the mirror folder and the
     * cache ({@code DAFLOW_DATA_MIRROR_URL}). Its files are checked against the published md5.
     */
    Optional<URI> mirrorUrl();

    /**
     * Where catalog downloads are kept, and uploads and URL downloads are unpacked while they are
     * ingested ({@code DAFLOW_DATA_CACHE}). Empty: {@code ~/.cache/daflow/datasets}.
     */
    Optional<Path> cache();

    /**
     * Largest archive accepted, uploaded or downloaded from a URL, in bytes ({@code
     * DAFLOW_DATA_MAX_UPLOAD_BYTES}); also the HTTP server's body limit.
     */
    @WithDefault("536870912")
    long maxUploadBytes();

    /**
     * Largest total size of the files unpacked from one archive, in bytes ({@code
     * DAFLOW_DATA_MAX_EXTRACTED_BYTES}): guards against archives that expand enormously.
     */
    @WithDefault("2147483648")
    long maxExtractedBytes();

    /**
     * Ingestions that may read and store datasets at the same time ({@code
     * DAFLOW_DATA_MAX_CONCURRENT_INGESTS}); each holds its dataset in memory (SVHN: about 0.5 GB).
     */
    @WithDefault("1")
    int maxConcurrentIngests();

    /**
     * How long an ingestion waits for a free slot before it is answered 429 ({@code
     * DAFLOW_DATA_QUEUE_TIMEOUT}).
     */
    @WithDefault("2m")
    Duration queueTimeout();

    /** Connection timeout of downloads ({@code DAFLOW_DATA_CONNECT_TIMEOUT}). */
    @WithDefault("30s")
    Duration connectTimeout();

    /**
     * How long one download may take, body included ({@code DAFLOW_DATA_DOWNLOAD_TIMEOUT}).
     */
    @WithDefault("30m")
    Duration downloadTimeout();

    /**
     * How long a download may wait for the next bytes ({@code DAFLOW_DATA_READ_TIMEOUT}).
     */
    @WithDefault("60s")
    Duration readTimeout();

    /** Where URL ingestion may download from, {@code daflow.data.download.*}. */
    Download download();
  }

  /** {@code daflow.data.download.*}. */
  interface Download {
    /**
     * The hosts {@code POST /datasets} may download from, and be redirected to ({@code
     * DAFLOW_DATA_DOWNLOAD_ALLOWED_HOSTS}, comma-separated): host names, canonical IPv4 or IPv6
     * addresses, or {@code *} for any host. Whatever a host resolves to must be a public address,
     * unless this list names the host or the address itself (not through {@code *}). Unset: the
     * hosts of the built-in catalog's publishers.
     */
    Optional<List<String>> allowedHosts();
  }
}
