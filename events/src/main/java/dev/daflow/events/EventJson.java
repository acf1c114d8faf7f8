package dev.daflow.events;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.daflow.events.EventFormatException.Problem;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The JSON form of events: record components as fields, in declaration order, {@code null} written
 * out. Reading is strict about what an event needs (every field not marked {@link Nullable}, no
 * nulls inside collections, exact JSON types: {@code "3"} is no int) and tolerant of fields it
 * does not know, so that producers may add fields before every consumer knows them. A field
 * renamed keeps its former name as a {@link JsonAlias}, under which it is read too.
 */
final class EventJson {

  static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .withCoercionConfig(LogicalType.Textual, c -> c
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
      .build();

  private static final Pattern COERCION_HINT =
      Pattern.compile("\\s*\\(but [^()]*CoercionConfig[^()]*\\)$");

  private EventJson() {}

  /** A payload problem, turned into an {@link EventFormatException} by the codec. */
  static final class PayloadException extends Exception {
    final Problem problem;

    PayloadException(Problem problem, String message, Throwable cause) {
      super(message, cause);
      this.problem = problem;
    }
  }

  static byte[] write(DaflowEvent event) {
    try {
      return MAPPER.writeValueAsBytes(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + event.type() + " as JSON", e);
    }
  }

  static <E extends DaflowEvent> E read(byte[] json, Class<E> type) throws PayloadException {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new PayloadException(Problem.MALFORMED_JSON, "malformed JSON: " + e.getOriginalMessage()
          + " at " + location(e), e);
    } catch (IOException e) {
      throw new PayloadException(Problem.MALFORMED_JSON, "malformed JSON: " + e.getMessage(), e);
    }
    if (tree == null || !tree.isObject()) {
      throw new PayloadException(Problem.INVALID_PAYLOAD, "expected a JSON object, got "
          + (tree == null ? "nothing" : tree.getNodeType().toString().toLowerCase()), null);
    }
    List<String> missing = new ArrayList<>();
    missingInJson(type, tree, "", missing);
    if (!missing.isEmpty()) {
      throw new PayloadException(Problem.INVALID_PAYLOAD, String.join("; ", missing), null);
    }
    try {
      return MAPPER.treeToValue(tree, type);
    } catch (JsonMappingException e) {
      String where = path(e);
      throw new PayloadException(Problem.INVALID_PAYLOAD,
          (where.isEmpty() ? "" : "field '" + where + "': ") + withoutHint(e), e);
    } catch (JsonProcessingException e) {
      throw new PayloadException(Problem.INVALID_PAYLOAD, e.getOriginalMessage(), e);
    }
  }

  /** Required fields that are absent or null in {@code node}, and nulls inside collections. */
  private static void missingInJson(Class<?> type, JsonNode node, String prefix,
      List<String> out) {
    for (RecordComponent c : type.getRecordComponents()) {
      String name = prefix + c.getName();
      JsonNode value = valueOf(node, c);
      if (value == null || value.isNull()) {
        if (!nullable(c)) {
          out.add("field '" + name + "' is " + (value == null ? "missing" : "null"));
        }
      } else if (c.getType().isRecord() && value.isObject()) {
        missingInJson(c.getType(), value, name + ".", out);
      } else if (isCollection(c.getType())) {
        String nullAt = firstNull(value, name);
        if (nullAt != null) {
          out.add("field '" + nullAt + "' is null");
        }
      }
    }
  }

  /** A component's value in {@code node}, under its name or a former one ({@link JsonAlias}). */
  private static JsonNode valueOf(JsonNode node, RecordComponent c) {
    JsonNode value = node.get(c.getName());
    JsonAlias alias = c.getAccessor().getAnnotation(JsonAlias.class);
    if ((value == null || value.isNull()) && alias != null) {
      for (String former : alias.value()) {
        if (node.hasNonNull(former)) {
          return node.get(former);
        }
      }
    }
    return value;
  }

  private static String firstNull(JsonNode node, String path) {
    if (node.isNull()) {
      return path;
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String p = firstNull(node.get(i), path + "[" + i + "]");
        if (p != null) {
          return p;
        }
      }
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        String p = firstNull(f.getValue(), path + "." + f.getKey());
        if (p != null) {
          return p;
        }
      }
    }
    return null;
  }

  /** Required components of {@code record} (and of the records in it) that are null. */
  static List<String> missingInRecord(Record record) {
    List<String> out = new ArrayList<>();
    missingInRecord(record, "", out);
    return out;
  }

  private static void missingInRecord(Record record, String prefix, List<String> out) {
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      Object value;
      try {
        value = c.getAccessor().invoke(record);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot read " + c, e);
      }
      if (value == null) {
        if (!nullable(c)) {
          out.add("field '" + prefix + c.getName() + "' is null");
        }
      } else if (value instanceof Record r) {
        missingInRecord(r, prefix + c.getName() + ".", out);
      }
    }
  }

  /** Marked {@link Nullable}, or the training contract's own mark in its records. */
  private static boolean nullable(RecordComponent c) {
    return c.isAnnotationPresent(Nullable.class)
        || c.isAnnotationPresent(dev.daflow.contract.Nullable.class);
  }

  private static boolean isCollection(Class<?> type) {
    return Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type);
  }

  /** Jackson's message without its advice on mapper settings, which is for us, not for senders. */
  private static String withoutHint(JsonProcessingException e) {
    return COERCION_HINT.matcher(e.getOriginalMessage()).replaceFirst("");
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null ? "unknown position"
        : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }
}
