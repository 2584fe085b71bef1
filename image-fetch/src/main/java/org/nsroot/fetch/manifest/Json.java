package org.nsroot.fetch.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * JSON for image-fetch: strict on duplicate keys, which hide ambiguity (D6), and bounded in depth.
 *
 * <p>Documents are read into Jackson's tree, and trees written, with jackson-core's parser and
 * generator directly rather than through an {@code ObjectMapper}: building a mapper costs a fresh
 * JVM 40 to 150 ms, on every {@code nsroot run} and pull, which only read and write small trees.
 */
public final class Json {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
      .build();

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
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
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
      for (java.util.Iterator<java.util.Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        java.util.Map.Entry<String, JsonNode> e = it.next();
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
   * Reads one JSON document.
   *
   * @throws JsonParseException on malformed JSON, duplicate keys, excessive depth or trailing content
   */
  public static JsonNode read(byte[] bytes) throws IOException {
    try (JsonParser p = FACTORY.createParser(bytes)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new JsonParseException(p, "no content");
      }
      JsonNode node = value(p, first);
      if (p.nextToken() != null) {
        throw new JsonParseException(p, "trailing content after the document");
      }
      return node;
    }
  }

  private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT: {
        ObjectNode o = NODES.objectNode();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String name = p.currentName();
          o.set(name, value(p, p.nextToken()));
        }
        return o;
      }
      case START_ARRAY: {
        ArrayNode a = NODES.arrayNode();
        for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
          a.add(value(p, v));
        }
        return a;
      }
      case VALUE_STRING:
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.INT ? NODES.numberNode(p.getIntValue())
            : p.getNumberType() == JsonParser.NumberType.LONG ? NODES.numberNode(p.getLongValue())
            : NODES.numberNode(p.getBigIntegerValue());
      case VALUE_NUMBER_FLOAT:
        return NODES.numberNode(p.getDecimalValue());
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw new JsonParseException(p, "unexpected " + t);
    }
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
