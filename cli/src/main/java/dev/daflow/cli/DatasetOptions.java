package dev.daflow.cli;

import dev.daflow.ml.data.DatasetCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where datasets come from: a local mirror folder (read as is) and a cache for downloads.
 *
 * <p>The mirror is, in order: {@code --datasets}; the environment variable {@value #ENV}; the
 * first existing folder of {@code ./shared/datasets} and {@code ../shared/datasets} (relative to
 * the working directory); else none, and files are downloaded into the cache.
 */
final class DatasetOptions {
  /** Environment variable naming the dataset mirror folder. */
  static final String ENV = "DAFLOW_DATASETS";

  @Option(names = "--datasets", paramLabel = "DIR",
      description = "Dataset mirror folder (files used as they are). Default: $" + ENV
          + ", else ./shared/datasets or ../shared/datasets if one exists, else none"
          + " (download into the cache).")
  Path datasets;

  @Option(names = "--cache", paramLabel = "DIR",
      description = "Download cache folder. Default: ~/.cache/daflow/datasets.")
  Path cache;

  /** The mirror folder in use, or null. */
  Path mirror() {
    return resolveMirror(datasets, System.getenv(ENV), Path.of(""));
  }

  /** The catalog over {@link #mirror()} and the cache. */
  DatasetCatalog catalog() {
    Path mirror = mirror();
    if (mirror != null && !Files.isDirectory(mirror)) {
      throw new IllegalArgumentException("dataset folder " + mirror + " does not exist");
    }
    return new DatasetCatalog(mirror, cache != null ? cache : DatasetCatalog.defaultCache());
  }

  static Path resolveMirror(Path option, String env, Path workDir) {
    if (option != null) {
      return option.toAbsolutePath();
    }
    if (env != null && !env.isBlank()) {
      return Path.of(env).toAbsolutePath();
    }
    for (String candidate : new String[] {"shared/datasets", "../shared/datasets"}) {
      Path p = workDir.resolve(candidate).toAbsolutePath().normalize();
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    return null;
  }
}
