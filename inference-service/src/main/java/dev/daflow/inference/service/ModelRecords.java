package dev.daflow.inference.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads the serving version out of a model record, {@code bundles/<modelName>.model.json}, which
 * evaluator-service writes: an object with {@code versions}, a list of {@code {version, jobId,
 * bundleKey, sha256, ...}} (one per promotion). Only those fields are read, and unknown ones are
 * ignored, so the evaluator may add to the record. The serving version is the one named by a
 * top-level {@code currentVersion} when there is one, else the highest {@code version}; entries
 * marked {@code "promoted": false} are not candidates.
 */
public final class ModelRecords {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SUFFIX = ".model.json";

  private ModelRecords() {}

  /** Whether {@code key} is a model record's key ({@code bundles/<name>.model.json}). */
  public static boolean isRecordKey(String key) {
    return key.startsWith("bundles/") && key.endsWith(SUFFIX)
        && key.indexOf('/', "bundles/".length()) < 0 && key.length() > "bundles/".length()
        + SUFFIX.length();
  }

  /** The model name of a record key. */
  public static String modelName(String key) {
    return key.substring("bundles/".length(), key.length() - SUFFIX.length());
  }

  /**
   * The version to serve according to a record.
   *
   * @param name the model name (from the key; a {@code modelName} field in the record, if any,
   *     must agree)
   * @return empty if the record lists no complete version
   * @throws IOException if the bytes are not such a record (the message names {@code origin})
   */
  public static Optional<LoadRequest> servingVersion(String name, byte[] record, String origin)
      throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(record);
    } catch (IOException e) {
      throw new IOException(origin + ": not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IOException(origin + ": not a JSON object");
    }
    JsonNode recordName = root.get("modelName");
    if (recordName != null && recordName.isTextual() && !recordName.asText().equals(name)) {
      throw new IOException(origin + ": names model '" + recordName.asText() + "', not '" + name
          + "'");
    }
    JsonNode versions = root.get("versions");
    if (versions == null || !versions.isArray()) {
      throw new IOException(origin + ": no 'versions' list");
    }
    JsonNode current = root.get("currentVersion");
    JsonNode best = null;
    for (JsonNode v : versions) {
      if (!isComplete(v) || (v.has("promoted") && !v.get("promoted").asBoolean(true))) {
        continue;
      }
      int number = v.get("version").intValue();
      if (current != null && current.canConvertToInt()) {
        if (number == current.intValue()) {
          best = v;
        }
      } else if (best == null || number > best.get("version").intValue()) {
        best = v;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    return Optional.of(new LoadRequest(name, best.get("version").intValue(),
        best.path("jobId").asText(""), best.get("bundleKey").asText(),
        best.get("sha256").asText(), origin));
  }

  private static boolean isComplete(JsonNode v) {
    return v.isObject() && v.path("version").isIntegralNumber()
        && v.path("version").canConvertToInt() && v.path("version").intValue() >= 1
        && v.path("bundleKey").isTextual() && v.path("sha256").isTextual();
  }
}
