package dev.daflow.deploy.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The Compose Specification's JSON schema (a committed copy, src/test/resources/compose-spec),
 * applied with networknt's json-schema-validator. Unknown keys (a misspelt {@code helthcheck}),
 * wrong types and wrong shapes fail it. The schema's {@code format}s (compose durations such as
 * {@code 10s}, port strings) are not asserted: the validator would read them as ISO 8601 / its
 * own formats.
 */
public final class ComposeSchema {

  private static final String RESOURCE = "/compose-spec/compose_spec.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonSchema SCHEMA = load();

  private ComposeSchema() {}

  /** One line per violation (instance path and message), empty when the file is valid. */
  public static List<String> validate(ComposeFile compose) {
    JsonNode node = JSON.valueToTree(compose.document());
    return SCHEMA.validate(node).stream().map(ValidationMessage::getMessage).sorted().toList();
  }

  private static JsonSchema load() {
    try (InputStream in = ComposeSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("no " + RESOURCE + " on the test class path");
      }
      JsonNode schema = JSON.readTree(in);
      // The schema names its meta-schema "http://json-schema.org/draft/2019-09/schema#" and keeps
      // draft-04 style "id" members on its definitions: 2019-09's keywords under that name,
      // with "id" as an annotation.
      JsonMetaSchema meta = JsonMetaSchema.builder(schema.path("$schema").asText(),
          JsonMetaSchema.getV201909()).keyword(new NonValidationKeyword("id")).build();
      SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
          .formatAssertionsEnabled(false).build();
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909,
          builder -> builder.metaSchema(meta)).getSchema(schema, config);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
