package dev.daflow.storage;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The object key layout, in one place (documented in {@code docs/storage.md}):
 *
 * <pre>
 * datasets/&lt;dataset&gt;/manifest.json                    written last: the dataset is visible
 * datasets/&lt;dataset&gt;/&lt;split&gt;/shard-00000.bin         canonical uint8 shards
 * datasets/&lt;dataset&gt;/preview.json                     its preview (counts, sample pictures)
 * checkpoints/&lt;jobId&gt;/epoch-0003.ckpt                 0-based epoch over all phases
 * checkpoints/&lt;jobId&gt;/epoch-0003.bundle               the model after that epoch
 * checkpoints/&lt;jobId&gt;/epoch-0003.evaluation.json      its evaluation
 * checkpoints/&lt;jobId&gt;/final.evaluation.json          the evaluation of the job's bundle
 * checkpoints/&lt;jobId&gt;/report.json                     the report of the version it became
 * checkpoints/&lt;jobId&gt;/job.json                        the trainer's record of the job
 * bundles/&lt;jobId&gt;.bundle                              one model bundle per job
 * bundles/&lt;modelName&gt;.model.json                      a model's versions and promotions
 * </pre>
 *
 * <p>Every key starts with its {@link ObjectKind}'s prefix, so keys stay unique even when one
 * bucket holds every kind. Names (datasets, splits, job ids) are 1-128 letters, digits, {@code
 * .}, {@code _} or {@code -} (the rule of {@code TrainingRequested.NAME} in the events module),
 * and never {@code .} or anything containing {@code ..}: HTTP clients resolve dot segments in
 * URLs, so such a name could address another object. Invalid names throw {@link
 * IllegalArgumentException} with a message naming the argument and the value.
 */
public final class ObjectKeys {
  /** The name of every dataset's manifest, under {@code datasets/<dataset>/}. */
  public static final String MANIFEST = "manifest.json";

  /** Largest shard index: five digits. */
  public static final int MAX_SHARD = 99_999;

  /** Largest epoch: five digits (keys pad to four, so epochs from 10000 have five). */
  public static final int MAX_EPOCH = 99_999;

  /** S3's limit on a key: 1024 bytes of UTF-8. */
  public static final int MAX_KEY_BYTES = 1024;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final Pattern CHECKPOINT =
      Pattern.compile("checkpoints/[A-Za-z0-9._-]{1,128}/epoch-(\\d{4,5})\\.ckpt");

  private ObjectKeys() {}

  /** {@code datasets/<dataset>/}: everything of one dataset. */
  public static String datasetPrefix(String dataset) {
    return ObjectKind.DATASET.prefix() + name("dataset", dataset) + "/";
  }

  /** {@code datasets/<dataset>/manifest.json}. */
  public static String datasetManifest(String dataset) {
    return datasetPrefix(dataset) + MANIFEST;
  }

  /**
   * {@code datasets/<dataset>/preview.json}: the dataset's preview (counts per class and split,
   * sample pictures), made by data-service on first view and kept with the dataset.
   */
  public static String datasetPreview(String dataset) {
    return datasetPrefix(dataset) + "preview.json";
  }

  /** {@code datasets/<dataset>/<split>/shard-00000.bin}, index 0 to {@value #MAX_SHARD}. */
  public static String datasetShard(String dataset, String split, int index) {
    if (index < 0 || index > MAX_SHARD) {
      throw new IllegalArgumentException(
          "shard index must be in 0.." + MAX_SHARD + ", got " + index);
    }
    return datasetPrefix(dataset) + name("split", split) + "/"
        + String.format("shard-%05d.bin", index);
  }

  /** {@code checkpoints/<jobId>/}: every checkpoint of one job. */
  public static String checkpointPrefix(String jobId) {
    return ObjectKind.CHECKPOINT.prefix() + name("jobId", jobId) + "/";
  }

  /**
   * {@code checkpoints/<jobId>/epoch-0003.ckpt}: the checkpoint that ends the 0-based epoch {@code
   * epoch} (0 to {@value #MAX_EPOCH}). Find a job's latest by {@link #checkpointEpoch}, not by
   * sorting keys: from epoch 10000 on, keys have five digits.
   */
  public static String checkpoint(String jobId, int epoch) {
    if (epoch < 0 || epoch > MAX_EPOCH) {
      throw new IllegalArgumentException("epoch must be in 0.." + MAX_EPOCH + ", got " + epoch);
    }
    return checkpointPrefix(jobId) + String.format("epoch-%04d.ckpt", epoch);
  }

  /** {@code checkpoints/<jobId>/epoch-0003.bundle}: the model bundle after that epoch. */
  public static String checkpointBundle(String jobId, int epoch) {
    return checkpoint(jobId, epoch).replaceFirst("\\.ckpt$", ".bundle");
  }

  /** {@code checkpoints/<jobId>/epoch-0003.evaluation.json}: the evaluation of that epoch. */
  public static String evaluation(String jobId, int epoch) {
    return checkpoint(jobId, epoch).replaceFirst("\\.ckpt$", ".evaluation.json");
  }

  /**
   * {@code checkpoints/<jobId>/final.evaluation.json}: the evaluation of the bundle the job
   * produced ({@link #bundle}), beside its epochs' evaluations.
   */
  public static String finalEvaluation(String jobId) {
    return checkpointPrefix(jobId) + "final.evaluation.json";
  }

  /**
   * {@code checkpoints/<jobId>/report.json}: the model report of the version a job was promoted
   * as (figures and tables, computed once by evaluator-service), beside its evaluations.
   */
  public static String report(String jobId) {
    return checkpointPrefix(jobId) + "report.json";
  }

  /** {@code checkpoints/<jobId>/job.json}: the trainer's record of a job (state, request). */
  public static String jobRecord(String jobId) {
    return checkpointPrefix(jobId) + "job.json";
  }

  /** {@code bundles/<modelName>.model.json}: a model's versions and promotions. */
  public static String modelRecord(String modelName) {
    return ObjectKind.BUNDLE.prefix() + name("modelName", modelName) + ".model.json";
  }

  /** The epoch of a {@link #checkpoint} key; empty for any other key. */
  public static OptionalInt checkpointEpoch(String key) {
    Matcher m = CHECKPOINT.matcher(key);
    return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }

  /** {@code bundles/<jobId>.bundle}: the model bundle a job produced. */
  public static String bundle(String jobId) {
    return ObjectKind.BUNDLE.prefix() + name("jobId", jobId) + ".bundle";
  }

  /**
   * The kind of a DAFlow key, by its first segment; for keys received in events (e.g. {@code
   * bundleKey}) before reading them.
   *
   * @throws IllegalArgumentException if the key is malformed or starts with no kind's prefix
   */
  public static ObjectKind kindOf(String key) {
    checkKey(key);
    for (ObjectKind kind : ObjectKind.values()) {
      if (key.startsWith(kind.prefix())) {
        return kind;
      }
    }
    throw new IllegalArgumentException("'" + key + "' is not a DAFlow key: it must start with "
        + "datasets/, checkpoints/ or bundles/");
  }

  /**
   * The kind of a listing prefix, by its first segment: {@code checkpoints/}, {@code
   * checkpoints/job-7f3a/} or {@code bundles/digits} are of one kind each; a prefix shorter than a
   * kind's ({@code ""}, {@code check}) spans several and has none.
   *
   * @throws IllegalArgumentException if the prefix is malformed ({@link #checkPrefix}) or does not
   *     start with a kind's prefix
   */
  public static ObjectKind kindOfPrefix(String prefix) {
    checkPrefix(prefix);
    for (ObjectKind kind : ObjectKind.values()) {
      if (prefix.startsWith(kind.prefix())) {
        return kind;
      }
    }
    throw new IllegalArgumentException("prefix '" + prefix + "' names no kind of object: it must "
        + "start with datasets/, checkpoints/ or bundles/");
  }

  /**
   * Checks a name used as one key segment (a dataset, split or job id).
   *
   * @param what the argument's name, for the message
   * @return {@code name}
   * @throws IllegalArgumentException if it is null, empty, longer than 128, holds another
   *     character than letters, digits, {@code .}, {@code _} and {@code -}, is {@code .} or
   *     contains {@code ..}
   */
  public static String name(String what, String name) {
    if (name == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " must be 1-128 letters, digits, '.', '_' or '-'"
          + ", got '" + printable(name) + "'");
    }
    if (name.equals(".") || name.contains("..")) {
      throw new IllegalArgumentException(what + " must not be '.' or contain '..', got '" + name
          + "'");
    }
    return name;
  }

  /**
   * Checks any object key handed to {@link ObjectStore}: 1 to {@value #MAX_KEY_BYTES} bytes of
   * UTF-8, no control characters or backslashes, no leading or trailing {@code /}, no empty,
   * {@code .} or {@code ..} segment.
   *
   * @return {@code key}
   * @throws IllegalArgumentException naming the problem
   */
  public static String checkKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("object key must not be null or empty");
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException("object key must be at most " + MAX_KEY_BYTES
          + " bytes of UTF-8, got " + key.getBytes(StandardCharsets.UTF_8).length);
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\') {
        throw new IllegalArgumentException("object key must not contain control characters or "
            + "'\\', got '" + printable(key) + "'");
      }
    }
    if (key.startsWith("/") || key.endsWith("/")) {
      throw new IllegalArgumentException("object key must not start or end with '/', got '"
          + key + "'");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("object key must not have an empty, '.' or '..' "
            + "segment, got '" + key + "'");
      }
    }
    return key;
  }

  /**
   * Checks a listing prefix: empty (everything), or a key's beginning under the rules of {@link
   * #checkKey} except that it may end with {@code /}.
   */
  public static String checkPrefix(String prefix) {
    if (prefix == null) {
      throw new IllegalArgumentException("prefix must not be null (use \"\" for everything)");
    }
    if (!prefix.isEmpty()) {
      checkKey(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
    }
    return prefix;
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    int n = Math.min(s.length(), 160);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return s.length() > n ? sb + "..." : sb.toString();
  }
}
