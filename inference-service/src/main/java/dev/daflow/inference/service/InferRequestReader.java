package dev.daflow.inference.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.daflow.platform.inference.OpenInference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads an Open Inference Protocol v2 inference request ({@code {"id", "inputs": [{"name",
 * "shape", "datatype", "data"}], "outputs": [{"name"}]}}) from JSON with a streaming parser:
 * tensor data goes straight into a {@code float[]}, without a tree of a million nodes. {@code
 * parameters} and unknown fields are skipped. Anything that is not such a request is an {@link
 * InferenceException.InvalidInput} naming the problem.
 */
public final class InferRequestReader {
  /** Nesting of {@code data} arrays accepted (a picture batch has 4 dimensions). */
  static final int MAX_DEPTH = 8;

  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
      .build();

  private InferRequestReader() {}

  /** Reads a request body of JSON only. */
  public static InferRequest read(byte[] body) {
    return read(body, null);
  }

  /**
   * Reads a request body.
   *
   * @param headerLength the value of the {@value OpenInference#HEADER_LENGTH} header: the
   *     length of the JSON part, the tensors' binary data after it; null: the body is JSON only
   */
  public static InferRequest read(byte[] body, String headerLength) {
    int jsonLength = body.length;
    if (headerLength != null) {
      jsonLength = jsonLength(headerLength, body.length);
    }
    Json json = readJson(body, jsonLength);
    return new InferRequest(json.id(), values(json.inputs(), body, jsonLength,
        headerLength != null), json.outputs());
  }

  private static int jsonLength(String header, int bodyLength) {
    long n;
    try {
      n = Long.parseLong(header.strip());
    } catch (NumberFormatException e) {
      throw invalid("the " + OpenInference.HEADER_LENGTH + " header must be the JSON part's "
          + "length in bytes, found \"" + abbreviate(header) + "\"");
    }
    if (n < 0 || n > bodyLength) {
      throw invalid("the " + OpenInference.HEADER_LENGTH + " header says " + n
          + " bytes of JSON, the body has " + bodyLength);
    }
    return (int) n;
  }

  /**
   * The inputs with their values: from their JSON {@code data}, or from the binary part (from
   * {@code offset} on), in order, each exactly its {@code binary_data_size}.
   */
  private static List<InferRequest.Input> values(List<Parsed> parsed, byte[] body, int offset,
      boolean hasBinaryPart) {
    List<InferRequest.Input> inputs = new ArrayList<>(parsed.size());
    int at = offset;
    for (int i = 0; i < parsed.size(); i++) {
      Parsed in = parsed.get(i);
      if (in.binarySize < 0) {
        inputs.add(new InferRequest.Input(in.name, in.datatype, in.shape, in.data.toArray(),
            in.data.integral));
        continue;
      }
      String label = "input '" + in.name + "'";
      if (!hasBinaryPart) {
        throw invalid(label + " has 'binary_data_size' but the request has no "
            + OpenInference.HEADER_LENGTH + " header: send it with the JSON part's length, the tensor's bytes after the JSON");
      }
      int width = switch (in.datatype) {
        case "UINT8" -> 1;
        case "FP32" -> 4;
        default -> throw invalid(label + ": binary data of datatype '" + in.datatype
            + "' is not supported; send UINT8 or FP32");
      };
      long values = valueCount(in.shape, label);
      if (values > Integer.MAX_VALUE / 4 || values * width != in.binarySize) {
        throw invalid(String.format(Locale.ROOT, "%s: binary_data_size %d does not match shape"
            + " %s of %s (%d values of %d byte%s = %d bytes)", label, in.binarySize,
            Arrays.toString(in.shape), in.datatype, values, width, width == 1 ? "" : "s",
            values * width));
      }
      if (in.binarySize > body.length - at) {
        throw invalid(String.format(Locale.ROOT, "%s: binary_data_size %d, but only %d bytes of"
            + " binary data are left after the JSON and the inputs before it", label,
            in.binarySize, body.length - at));
      }
      float[] data = new float[(int) values];
      if (width == 1) {
        for (int k = 0; k < data.length; k++) {
          data[k] = body[at + k] & 0xff;
        }
      } else {
        ByteBuffer.wrap(body, at, in.binarySize).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
            .get(data);
      }
      at += in.binarySize;
      inputs.add(new InferRequest.Input(in.name, in.datatype, in.shape, data, width == 1));
    }
    if (at != body.length) {
      throw invalid(String.format(Locale.ROOT, "the body has %d bytes after its %d bytes of JSON;"
          + " the inputs' binary_data_size add up to %d", body.length - offset, offset,
          at - offset));
    }
    return inputs;
  }

  /** The number of values of a tensor of {@code shape}. */
  private static long valueCount(long[] shape, String label) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw invalid(label + ": shape " + Arrays.toString(shape) + " has a negative dimension");
      }
      try {
        n = Math.multiplyExact(n, d);
      } catch (ArithmeticException e) {
        throw invalid(label + ": shape " + Arrays.toString(shape) + " is too large");
      }
    }
    return n;
  }

  /** What the JSON part says: the inputs with their data or binary sizes. */
  private record Json(String id, List<Parsed> inputs, List<String> outputs) {}

  private static Json readJson(byte[] body, int length) {
    try (JsonParser p = JSON.createParser(body, 0, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw invalid("the body must be a JSON object (an inference request with 'inputs')");
      }
      String id = null;
      List<Parsed> inputs = null;
      List<String> outputs = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "id" -> id = text(p, value, "'id'");
          case "inputs" -> inputs = inputs(p, value);
          case "outputs" -> outputs = outputs(p, value);
          default -> p.skipChildren(); // parameters, extensions
        }
      }
      if (p.nextToken() != null) {
        throw invalid("unexpected content after the request object (binary tensor data after"
            + " the JSON needs the " + OpenInference.HEADER_LENGTH + " header)");
      }
      if (inputs == null) {
        throw invalid("the request has no 'inputs'");
      }
      return new Json(id, inputs, outputs);
    } catch (JsonProcessingException e) {
      throw invalid("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading from memory
    }
  }

  private static List<Parsed> inputs(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      throw invalid("'inputs' must be a list of tensors");
    }
    List<Parsed> out = new ArrayList<>();
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.START_OBJECT) {
        throw invalid("'inputs' must be a list of tensor objects");
      }
      out.add(input(p, out.size()));
    }
    return out;
  }

  /** An input as its JSON says: values in {@code data}, or a binary size (else -1). */
  private record Parsed(String name, String datatype, long[] shape, Floats data,
      int binarySize) {}

  private static Parsed input(JsonParser p, int index) throws IOException {
    String name = null;
    String datatype = null;
    long[] shape = null;
    Floats data = null;
    int binarySize = -1;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      String what = "inputs[" + index + "]." + field;
      switch (field) {
        case "name" -> name = text(p, value, what);
        case "datatype" -> datatype = text(p, value, what);
        case "shape" -> shape = shape(p, value, what);
        case "data" -> {
          if (value != JsonToken.START_ARRAY) {
            throw invalid("'" + what + "' must be a list of numbers");
          }
          data = new Floats();
          data(p, data, 1, what);
        }
        case "parameters" -> binarySize = binaryDataSize(p, value, what);
        default -> p.skipChildren();
      }
    }
    String label = name == null ? "inputs[" + index + "]" : "input '" + name + "'";
    if (name == null) {
      throw invalid(label + " has no 'name'");
    }
    if (datatype == null) {
      throw invalid(label + " has no 'datatype'");
    }
    if (shape == null) {
      throw invalid(label + " has no 'shape'");
    }
    if (data == null && binarySize < 0) {
      throw invalid(label + " has no 'data' (nor 'binary_data_size' in its 'parameters', for"
          + " values sent as binary data after the JSON)");
    }
    if (data != null && binarySize >= 0) {
      throw invalid(label + " has both 'data' and 'binary_data_size': send its values one way");
    }
    return new Parsed(name, datatype, shape, data, binarySize);
  }

  /** An input's {@code parameters}: its {@code binary_data_size}, or -1 when it has none. */
  private static int binaryDataSize(JsonParser p, JsonToken t, String what) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      throw invalid("'" + what + "' must be an object");
    }
    int size = -1;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (field.equals(OpenInference.BINARY_DATA_SIZE)) {
        if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT
            || p.getIntValue() < 0) {
          throw invalid("'" + what + ".binary_data_size' must be a byte count (a non-negative"
              + " integer), found " + found(p, value));
        }
        size = p.getIntValue();
      } else {
        p.skipChildren();
      }
    }
    return size;
  }

  private static long[] shape(JsonParser p, JsonToken t, String what) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      throw invalid("'" + what + "' must be a list of integers");
    }
    List<Long> dims = new ArrayList<>();
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw invalid("'" + what + "' must be a list of integers, found " + found(p, t));
      }
      dims.add(p.getLongValue());
      if (dims.size() > 16) {
        throw invalid("'" + what + "' has more than 16 dimensions");
      }
    }
    return dims.stream().mapToLong(Long::longValue).toArray();
  }

  private static void data(JsonParser p, Floats out, int depth, String what) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      switch (t) {
        case VALUE_NUMBER_INT -> out.add(p.getFloatValue());
        case VALUE_NUMBER_FLOAT -> {
          out.add(p.getFloatValue());
          out.integral = false;
        }
        case START_ARRAY -> {
          if (depth >= MAX_DEPTH) {
            throw invalid("'" + what + "' is nested deeper than " + MAX_DEPTH + " levels");
          }
          data(p, out, depth + 1, what);
        }
        default -> throw invalid("'" + what + "' must hold numbers only, found " + found(p, t)
            + " at value " + out.size);
      }
    }
  }

  private static List<String> outputs(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      throw invalid("'outputs' must be a list of {\"name\": ...} objects");
    }
    List<String> names = new ArrayList<>();
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.START_OBJECT) {
        throw invalid("'outputs' must be a list of {\"name\": ...} objects");
      }
      String name = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("name")) {
          name = text(p, value, "outputs[" + names.size() + "].name");
        } else {
          p.skipChildren();
        }
      }
      if (name == null) {
        throw invalid("outputs[" + names.size() + "] has no 'name'");
      }
      names.add(name);
    }
    return names;
  }

  private static String text(JsonParser p, JsonToken t, String what) throws IOException {
    if (t != JsonToken.VALUE_STRING) {
      throw invalid("'" + what + "' must be a string, found " + found(p, t));
    }
    return p.getText();
  }

  private static String found(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case VALUE_STRING -> "the string \"" + abbreviate(p.getText()) + "\"";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case START_ARRAY -> "a list";
      case START_OBJECT -> "an object";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + abbreviate(p.getText());
      default -> t.toString();
    };
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  private static InferenceException.InvalidInput invalid(String message) {
    return new InferenceException.InvalidInput(message);
  }

  /** A growing float list. */
  private static final class Floats {
    float[] values = new float[1024];
    int size;
    boolean integral = true;

    void add(float v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, values.length * 2);
      }
      values[size++] = v;
    }

    float[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
