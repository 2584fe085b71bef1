package org.nsroot.fetch.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * JsonReader against Jackson's own parser with nsroot's rules (duplicate keys and depth over 64
 * refused). One deliberate difference from the ObjectMapper nsroot used before: fractions are
 * read as BigDecimal, exactly as written, not as double; nothing nsroot reads is a fraction.
 */
class JsonReaderTest {

  /** Jackson's parser with nsroot's rules: the reference. */
  private static final class Jackson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonFactory FACTORY = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
        .build();

    static JsonNode read(byte[] bytes) throws IOException {
      try (JsonParser p = FACTORY.createParser(bytes)) {
        JsonToken first = p.nextToken();
        if (first == null) {
          throw new JsonParseException(p, "no content");
        }
        JsonNode node = value(p, first);
        if (p.nextToken() != null) {
          throw new JsonParseException(p, "trailing content");
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
  }

  private static final String MANIFEST = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
      + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:"
      + "a".repeat(64) + "\",\"size\":1470},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
      + "\"digest\":\"sha256:" + "b".repeat(64) + "\",\"size\":3623807,\"annotations\":{\"x\":\"y\"}}],"
      + "\"annotations\":{\"org.opencontainers.image.created\":\"2026-11-29T14:04:05Z\"}}";
  private static final String CONFIG = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":"
      + "[\"PATH=/usr/local/bin:/usr/bin\",\"LANG=C.UTF-8\"],\"Entrypoint\":null,\"Cmd\":[\"/bin/sh\",\"-c\","
      + "\"echo \\\"hi\\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u00e9\\u65e5\\ud83d\\ude00\"],\"WorkingDir\":\"\",\"User\":\"1000:1000\","
      + "\"ExposedPorts\":{\"80/tcp\":{}},\"Labels\":{}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},"
      + "\"history\":[{\"created\":\"2026-01-01T00:00:00Z\",\"empty_layer\":true}],\"ratio\":0.5,\"big\":1e400}";

  static Stream<String> documents() {
    return Stream.of(MANIFEST, CONFIG,
        "{}", "[]", " \t\r\n{ } ", "[[],{},[[]]]", "\"text\"", "0", "-0", "7", "-1", "3.25", "-0.0", "1e3", "1E-3",
        "2.5e+10", "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "123456789012345678901234567890",
        "true", "false", "null", "[true,false,null]", "{\"a\":{\"b\":{\"c\":[1,2,{\"d\":\"e\"}]}}}",
        "\"caf\u00e9 \u65e5\u672c \ud83d\ude00\"", "{\"\u00e9\":\"\\u0000\"}", "\"\\ud800\"", "\"\u007f\"",
        "\ufeff{\"bom\":1}", "[1 , 2 ,3 ]", "{\"a\" : 1 , \"b\":[ ] }",
        "[" + "[".repeat(62) + "]".repeat(62) + "]", "1" + "0".repeat(999), "{\"" + "k".repeat(50_000) + "\":1}");
  }

  @ParameterizedTest
  @MethodSource("documents")
  void readsWhatJacksonReadsIntoTheSameTree(String doc) throws IOException {
    byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
    JsonNode expected = Jackson.read(bytes);
    JsonNode got = JsonReader.read(bytes);
    assertEquals(expected, got, doc);
    assertEquals(nodeTypes(expected), nodeTypes(got), "number node types of " + doc);
  }

  static Stream<String> malformed() {
    return Stream.of("", "   ", "{", "}", "[", "]", "[1,]", "{\"a\":1,}", "{,}", "[,1]", "{\"a\"}", "{\"a\" 1}",
        "{a:1}", "{'a':1}", "['a']", "01", "-", "-01", "1.", ".5", "+1", "1e", "1e+", "0x10", "NaN", "Infinity",
        "tru", "truex", "nul", "[true false]", "{} {}", "[] x", "1 2", "\"abc", "\"a\\x\"", "\"\\u12\"",
        "\"\\u12G4\"", "\"tab\there\"", "\"line\nbreak\"", "{\"a\":1,\"a\":2}", "{\"a\":{\"b\":1,\"b\":1}}",
        "[" + "[".repeat(64) + "]".repeat(64) + "]", "1" + "0".repeat(1000), "[1]]", "{\"a\":1}}", "/* c */ 1",
        "// c\n1", "[1,2", "{\"a\":", "\"\\");
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void refusesWhatJacksonRefuses(String doc) {
    byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
    assertThrows(IOException.class, () -> Jackson.read(bytes), "the reference refuses " + doc);
    JsonParseException e = assertThrows(JsonParseException.class, () -> JsonReader.read(bytes), doc);
    assertTrue(e.getOriginalMessage().contains(" at byte "), e.getOriginalMessage());
  }

  @Test
  void refusesInvalidUtf8() {
    List<byte[]> bad = List.of(
        new byte[] {'"', (byte) 0x80, '"'},                          // a lone continuation byte
        new byte[] {'"', (byte) 0xE6, (byte) 0x97, '"'},             // a truncated sequence
        new byte[] {'"', (byte) 0xC0, (byte) 0xAF, '"'},             // an overlong '/'
        new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}, // an encoded surrogate
        new byte[] {'"', (byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80, '"'}, // beyond U+10FFFF
        new byte[] {'"', (byte) 0xFF, '"'});
    for (byte[] b : bad) {
      assertThrows(JsonParseException.class, () -> JsonReader.read(b));
    }
  }

  /** Documents mutated at random (ASCII edits, seeded): both accept, into one tree, or both refuse. */
  @Test
  void agreesWithJacksonOnMutatedDocuments() throws IOException {
    Random random = new Random(20261129);
    String alphabet = "{}[],:\"\\ 0123456789-+.eEtrufalsn\tx";
    List<String> seeds = List.of(MANIFEST, CONFIG, "{\"a\":[1,2.5,-3,true,null,\"s\"]}", "[[{}],{\"k\":[]}]");
    int accepted = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder doc = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
      for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
        int at = random.nextInt(doc.length());
        char c = alphabet.charAt(random.nextInt(alphabet.length()));
        switch (random.nextInt(3)) {
          case 0 -> doc.setCharAt(at, c);
          case 1 -> doc.insert(at, c);
          default -> doc.deleteCharAt(at);
        }
      }
      byte[] bytes = doc.toString().getBytes(StandardCharsets.UTF_8);
      JsonNode expected;
      try {
        expected = Jackson.read(bytes);
      } catch (IOException e) {
        assertThrows(JsonParseException.class, () -> JsonReader.read(bytes), "Jackson refuses " + doc);
        continue;
      }
      JsonNode got = JsonReader.read(bytes);
      assertEquals(expected, got, doc.toString());
      assertEquals(nodeTypes(expected), nodeTypes(got), doc.toString());
      accepted++;
    }
    assertTrue(accepted > 1000, "enough mutated documents stay valid to compare trees: " + accepted);
  }

  /** The node classes of a tree, in order: IntNode, LongNode and BigIntegerNode are not equal types. */
  private static List<String> nodeTypes(JsonNode n) {
    List<String> out = new ArrayList<>();
    collect(n, out);
    return out;
  }

  private static void collect(JsonNode n, List<String> out) {
    out.add(n.getClass().getSimpleName());
    for (JsonNode child : n) {
      collect(child, out);
    }
  }
}
