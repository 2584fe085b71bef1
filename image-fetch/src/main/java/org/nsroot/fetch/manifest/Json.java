package org.nsroot.fetch.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON for image-fetch: strict on duplicate keys, which hide ambiguity (D6), and bounded in depth.
 *
 * <p>Documents are read into Jackson's tree by {@link JsonReader}, and trees written with
 * jackson-core's generator, rather than through an {@code ObjectMapper}: building a mapper costs a
 * fresh JVM 40 to 150 ms, on every {@code nsroot run} and pull, which only read and write small trees.
 */
public final class Json {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final JsonFactory FACTORY = new JsonFactory();

  private Json() {}

  /** {@code node} as compact JSON. */
  public static byte[] bytes(JsonNode node) {
    return write(node, false);
  }

  /** {@code node} as indented JSON, for files and output people read. */
  public static byte[] pretty(JsonNode node) {
    return write(node, true);
  }

  private static byte[] write(JsonNode node, boolean pretty) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (com.fasterxml.jackson.core.JsonGenerator g = FACTORY.createGenerator(out)) {
      if (pretty) {
        g.useDefaultPrettyPrinter();
      }
      write(g, node);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON", e); // into memory: cannot happen
    }
    return out.toByteArray();
  }

  private static void write(com.fasterxml.jackson.core.JsonGenerator g, JsonNode node) throws IOException {
    if (node.isObject()) {
      g.writeStartObject();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        g.writeFieldName(e.getKey());
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (node.isArray()) {
      g.writeStartArray();
      for (JsonNode item : node) {
        write(g, item);
      }
      g.writeEndArray();
    } else if (node.isTextual()) {
      g.writeString(node.textValue());
    } else if (node.isIntegralNumber()) {
      g.writeNumber(node.bigIntegerValue());
    } else if (node.isNumber()) {
      g.writeNumber(node.decimalValue());
    } else if (node.isBoolean()) {
      g.writeBoolean(node.booleanValue());
    } else {
      g.writeNull();
    }
  }

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  public static ArrayNode array() {
    return NODES.arrayNode();
  }

  /**
   * Reads one JSON document (with {@link JsonReader}, not Jackson's parser: see there why).
   *
   * @throws JsonParseException on malformed JSON, duplicate keys, excessive depth or trailing content
   */
  public static JsonNode read(byte[] bytes) throws JsonParseException {
    return JsonReader.read(bytes);
  }

  /** Writes a platform as descriptors carry it: architecture, os, and variant when there is one. */
  public static void putPlatform(ObjectNode descriptor, Platform platform) {
    ObjectNode p = descriptor.putObject("platform");
    p.put("architecture", platform.architecture());
    p.put("os", platform.os());
    if (!platform.variant().isEmpty()) {
      p.put("variant", platform.variant());
    }
  }
}
