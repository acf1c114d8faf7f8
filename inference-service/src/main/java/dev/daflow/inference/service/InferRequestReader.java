package dev.daflow.inference.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

  /** Reads a request body. */
  public static InferRequest read(byte[] body) {
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw invalid("the body must be a JSON object (an inference request with 'inputs')");
      }
      String id = null;
      List<InferRequest.Input> inputs = null;
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
        throw invalid("unexpected content after the request object");
      }
      if (inputs == null) {
        throw invalid("the request has no 'inputs'");
      }
      return new InferRequest(id, inputs, outputs);
    } catch (JsonProcessingException e) {
      throw invalid("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading from memory
    }
  }

  private static List<InferRequest.Input> inputs(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      throw invalid("'inputs' must be a list of tensors");
    }
    List<InferRequest.Input> out = new ArrayList<>();
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.START_OBJECT) {
        throw invalid("'inputs' must be a list of tensor objects");
      }
      out.add(input(p, out.size()));
    }
    return out;
  }

  private static InferRequest.Input input(JsonParser p, int index) throws IOException {
    String name = null;
    String datatype = null;
    long[] shape = null;
    Floats data = null;
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
    if (data == null) {
      throw invalid(label + " has no 'data'");
    }
    return new InferRequest.Input(name, datatype, shape, data.toArray(), data.integral);
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
