package dev.daflow.inference.service;

import java.util.List;

/**
 * An Open Inference Protocol v2 inference request, as {@link InferRequestReader} read it.
 *
 * @param id the client's request id, echoed in the response; may be null
 * @param inputs the input tensors
 * @param outputs the names of the outputs asked for; null: all of them
 */
public record InferRequest(String id, List<Input> inputs, List<String> outputs) {

  public InferRequest {
    inputs = List.copyOf(inputs);
    outputs = outputs == null ? null : List.copyOf(outputs);
  }

  /**
   * One input tensor.
   *
   * @param name its name
   * @param datatype the OIP datatype, e.g. {@code UINT8}
   * @param shape its dimensions
   * @param data the values, flattened row-major (nested arrays are flattened as read)
   * @param integral whether every value was written as a JSON integer
   */
  public record Input(String name, String datatype, long[] shape, float[] data,
      boolean integral) {}
}
