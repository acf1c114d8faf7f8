package dev.daflow.inference.service;

import dev.daflow.ml.data.ImageDataset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Turns the input tensor of an inference request into pictures: one tensor named {@value
 * #INPUT}, shape {@code [N, H, W, C]} (C 1 or 3, N at most {@code max-batch}), datatype {@code
 * UINT8} (integers 0..255) or {@code FP32} (0..1, scaled to bytes as {@code round(v * 255)}), data
 * flattened row-major. Any height and width is accepted: the model's preprocessing frames or
 * resizes each picture to its input, as it does with pictures from files. Every violation is an
 * {@link InferenceException.InvalidInput} that names it.
 */
public final class TensorDecoder {
  /** The name of the one input tensor. */
  public static final String INPUT = "input";
  /** The datatypes accepted. */
  public static final List<String> DATATYPES = List.of("UINT8", "FP32");

  private final int maxBatch;
  private final int maxPicturePixels;

  /**
   * @param maxBatch most pictures per request
   * @param maxPicturePixels most pixels (H x W) per picture
   */
  public TensorDecoder(int maxBatch, int maxPicturePixels) {
    if (maxBatch < 1 || maxPicturePixels < 1) {
      throw new IllegalArgumentException("maxBatch and maxPicturePixels must be >= 1");
    }
    this.maxBatch = maxBatch;
    this.maxPicturePixels = maxPicturePixels;
  }

  /** The pictures of the request's one input tensor, NHWC bytes. */
  public ImageDataset decode(InferRequest request) {
    List<InferRequest.Input> inputs = request.inputs();
    if (inputs.isEmpty()) {
      throw invalid("the request has no input tensor; send one named '" + INPUT + "'");
    }
    if (inputs.size() > 1) {
      throw invalid("the model takes one input tensor ('" + INPUT + "'), the request has "
          + inputs.size() + ": " + inputs.stream().map(InferRequest.Input::name).toList());
    }
    InferRequest.Input in = inputs.get(0);
    if (!INPUT.equals(in.name())) {
      throw invalid("unknown input '" + in.name() + "': the model's input is '" + INPUT + "'");
    }
    String datatype = in.datatype();
    if (!DATATYPES.contains(datatype)) {
      throw invalid("input '" + INPUT + "': datatype '" + datatype + "' is not supported; use "
          + "UINT8 (0..255) or FP32 (0..1)"
          + (DATATYPES.contains(datatype.toUpperCase(Locale.ROOT)) ? " (datatypes are upper case)"
              : ""));
    }
    long[] shape = in.shape();
    if (shape.length != 4) {
      throw invalid("input '" + INPUT + "': shape " + Arrays.toString(shape)
          + " has " + shape.length + " dimensions; expected [N, H, W, C]");
    }
    for (long d : shape) {
      if (d < 1) {
        throw invalid("input '" + INPUT + "': shape " + Arrays.toString(shape)
            + " has a dimension < 1; expected [N, H, W, C] with positive sizes");
      }
    }
    long n = shape[0];
    long h = shape[1];
    long w = shape[2];
    long c = shape[3];
    if (c != 1 && c != 3) {
      throw invalid("input '" + INPUT + "': shape " + Arrays.toString(shape) + " has " + c
          + " channels; expected 1 (grey) or 3 (RGB) as the last dimension [N, H, W, C]");
    }
    if (n > maxBatch) {
      throw invalid("input '" + INPUT + "': a batch of " + n + " pictures is more than the "
          + maxBatch + " allowed (daflow.inference.max-batch)");
    }
    if (h * w > maxPicturePixels) {
      throw invalid("input '" + INPUT + "': pictures of " + h + "x" + w + " are larger than "
          + maxPicturePixels + " pixels (daflow.inference.max-picture-pixels)");
    }
    long expected = n * h * w * c;
    float[] data = in.data();
    if (data.length != expected) {
      throw invalid("input '" + INPUT + "': shape " + Arrays.toString(shape) + " holds "
          + expected + " values, 'data' has " + data.length);
    }
    byte[] pixels = datatype.equals("UINT8") ? fromUint8(data, in.integral())
        : fromFp32(data);
    return new ImageDataset("request", pixels, new int[(int) n], (int) n, (int) h, (int) w,
        (int) c, List.of("?"));
  }

  private static byte[] fromUint8(float[] data, boolean integral) {
    byte[] out = new byte[data.length];
    for (int i = 0; i < data.length; i++) {
      float v = data[i];
      if (!(v >= 0 && v <= 255) || v != Math.rint(v)) {
        throw invalid("input '" + INPUT + "': data[" + i + "] = " + format(v)
            + " is not a UINT8 (an integer 0..255)");
      }
      out[i] = (byte) (int) v;
    }
    if (!integral) {
      throw invalid("input '" + INPUT + "': UINT8 data must be written as integers (e.g. 12, "
          + "not 12.0)");
    }
    return out;
  }

  private static byte[] fromFp32(float[] data) {
    byte[] out = new byte[data.length];
    for (int i = 0; i < data.length; i++) {
      float v = data[i];
      if (!(v >= 0 && v <= 1)) {
        throw invalid("input '" + INPUT + "': data[" + i + "] = " + format(v)
            + " is outside 0..1 (FP32 pictures are scaled to [0, 1])");
      }
      out[i] = (byte) Math.round(v * 255f);
    }
    return out;
  }

  private static String format(float v) {
    return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : Float.toString(v);
  }

  private static InferenceException.InvalidInput invalid(String message) {
    return new InferenceException.InvalidInput(message);
  }
}
