package dev.daflow.platform.inference;

/**
 * Names of the Open Inference Protocol v2 that inference-service reads and its clients (the CLI's
 * {@code bench-platform}) write, defined once: those of the binary tensor data extension (KServe
 * and Triton's {@code binary_tensor_data}).
 */
public final class OpenInference {
  /** The HTTP header that gives the JSON part's length in a body with binary tensor data. */
  public static final String HEADER_LENGTH = "Inference-Header-Content-Length";

  /** The input parameter that gives a tensor's byte count in the binary part. */
  public static final String BINARY_DATA_SIZE = "binary_data_size";

  private OpenInference() {}
}
