package org.nsroot.fetch.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * JSON for image-fetch: strict on duplicate keys, which hide ambiguity (D6), and bounded in depth.
 *
 * <p>Documents are read into Jackson's tree with jackson-core's parser directly rather than through
 * an {@code ObjectMapper}: building a mapper costs a fresh JVM ~40 ms even from the class-data
 * archive, on every {@code nsroot run}, which only reads trees. The mapper is built on first use,
 * for writing.
 */
public final class Json {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
      .build();

  private Json() {}

  /** A mapper for writing trees as JSON. */
  public static ObjectMapper mapper() {
    return Writer.MAPPER;
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

  private static final class Writer {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }
}
