package org.nsroot.fetch.manifest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads one JSON document (RFC 8259, UTF-8) into Jackson's tree, as Jackson's own parser did with
 * nsroot's settings: duplicate keys, nesting deeper than 64, trailing content, and numbers, names
 * and strings beyond Jackson's default lengths are errors; integers become int, long or big-integer
 * nodes by their size.
 *
 * <p>Written here, not taken from Jackson, for start-up alone: the base class of Jackson's parsers
 * initialises {@code java.math.BigDecimal}, whose static initialiser on JDK 25 computes 5^65536 —
 * 7 ms of every {@code nsroot run} and pull, a tenth of a run. This reader touches BigDecimal only
 * for a number with a fraction or an exponent. JsonReaderTest holds it to Jackson's parser.
 */
final class JsonReader {
  static final int MAX_DEPTH = 64;
  // Jackson's StreamReadConstraints defaults; the number bound also keeps BigInteger parsing linear.
  static final int MAX_NUMBER_LENGTH = 1000;
  static final int MAX_NAME_LENGTH = 50_000;
  static final int MAX_STRING_LENGTH = 20_000_000;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final byte[] in;
  private int pos;
  private int depth;

  private JsonReader(byte[] in) {
    this.in = in;
  }

  /**
   * Reads {@code bytes} as one JSON document.
   *
   * @throws JsonParseException on malformed JSON, invalid UTF-8, duplicate keys, excessive depth or
   *     length, or trailing content
   */
  static JsonNode read(byte[] bytes) throws JsonParseException {
    JsonReader r = new JsonReader(bytes);
    if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
      r.pos = 3; // a UTF-8 byte order mark, which Jackson skips too
    }
    r.skipWhitespace();
    if (r.pos == bytes.length) {
      throw r.error("no content");
    }
    JsonNode node = r.value();
    r.skipWhitespace();
    if (r.pos != bytes.length) {
      throw r.error("trailing content after the document");
    }
    return node;
  }

  private JsonNode value() throws JsonParseException {
    if (pos == in.length) {
      throw error("unexpected end of input");
    }
    byte b = in[pos];
    switch (b) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return NODES.textNode(string(MAX_STRING_LENGTH));
      case 't':
        literal("true");
        return NODES.booleanNode(true);
      case 'f':
        literal("false");
        return NODES.booleanNode(false);
      case 'n':
        literal("null");
        return NODES.nullNode();
      default:
        if (b == '-' || (b >= '0' && b <= '9')) {
          return number();
        }
        throw error("unexpected " + describe(b));
    }
  }

  private ObjectNode object() throws JsonParseException {
    enter();
    pos++; // {
    ObjectNode o = NODES.objectNode();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      depth--;
      return o;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("expected a field name in double quotes, not " + describeNext());
      }
      String name = string(MAX_NAME_LENGTH);
      skipWhitespace();
      expect(':');
      skipWhitespace();
      if (o.has(name)) {
        throw error("duplicate field '" + name + "'");
      }
      o.set(name, value());
      skipWhitespace();
      byte b = next("',' or '}'");
      if (b == '}') {
        depth--;
        return o;
      }
      if (b != ',') {
        throw errorAt(pos - 1, "expected ',' or '}', not " + describe(b));
      }
    }
  }

  private ArrayNode array() throws JsonParseException {
    enter();
    pos++; // [
    ArrayNode a = NODES.arrayNode();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      depth--;
      return a;
    }
    while (true) {
      skipWhitespace();
      a.add(value());
      skipWhitespace();
      byte b = next("',' or ']'");
      if (b == ']') {
        depth--;
        return a;
      }
      if (b != ',') {
        throw errorAt(pos - 1, "expected ',' or ']', not " + describe(b));
      }
    }
  }

  private void enter() throws JsonParseException {
    if (++depth > MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH);
    }
  }

  /** A string starting at the opening quote; UTF-8 is checked strictly. */
  private String string(int maxLength) throws JsonParseException {
    int start = pos;
    pos++; // "
    StringBuilder s = new StringBuilder();
    int run = pos; // start of the bytes not yet appended
    boolean ascii = true;
    while (true) {
      if (pos == in.length) {
        throw errorAt(start, "unterminated string");
      }
      int b = in[pos] & 0xff;
      if (b == '"' || b == '\\') {
        append(s, run, pos, ascii);
        if (b == '"') {
          pos++;
          break;
        }
        escape(s);
        run = pos;
        ascii = true;
      } else if (b < 0x20) {
        throw error("unescaped control character " + describe((byte) b) + " in a string");
      } else {
        ascii &= b < 0x80;
        pos++;
      }
    }
    if (s.length() > maxLength) {
      throw errorAt(start, "a string longer than " + maxLength + " characters");
    }
    return s.toString();
  }

  private void append(StringBuilder s, int from, int to, boolean ascii) throws JsonParseException {
    if (ascii) {
      for (int i = from; i < to; i++) {
        s.append((char) in[i]);
      }
      return;
    }
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer chars = utf8.decode(ByteBuffer.wrap(in, from, to - from));
      s.append(chars);
    } catch (CharacterCodingException e) {
      throw errorAt(from, "invalid UTF-8 in a string");
    }
  }

  private void escape(StringBuilder s) throws JsonParseException {
    pos++; // backslash
    byte e = next("an escape");
    switch (e) {
      case '"' -> s.append('"');
      case '\\' -> s.append('\\');
      case '/' -> s.append('/');
      case 'b' -> s.append('\b');
      case 'f' -> s.append('\f');
      case 'n' -> s.append('\n');
      case 'r' -> s.append('\r');
      case 't' -> s.append('\t');
      case 'u' -> {
        int c = 0;
        for (int i = 0; i < 4; i++) {
          int d = Character.digit(next("a hex digit") & 0xff, 16);
          if (d < 0) {
            throw errorAt(pos - 1, "invalid \\u escape");
          }
          c = c * 16 + d;
        }
        s.append((char) c);
      }
      default -> throw errorAt(pos - 1, "unrecognised escape \\" + (char) (e & 0xff));
    }
  }

  /** A number, as RFC 8259 writes it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
  private JsonNode number() throws JsonParseException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
      if (isDigit(peek())) {
        throw errorAt(start, "a number with a leading zero");
      }
    } else {
      digits(start);
    }
    boolean integral = true;
    if (peek() == '.') {
      pos++;
      digits(start);
      integral = false;
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      digits(start);
      integral = false;
    }
    if (pos < in.length && !isDelimiter(in[pos])) {
      throw errorAt(start, "a malformed number");
    }
    if (pos - start > MAX_NUMBER_LENGTH) {
      throw errorAt(start, "a number longer than " + MAX_NUMBER_LENGTH + " characters");
    }
    String text = new String(in, start, pos - start, StandardCharsets.US_ASCII);
    if (!integral) {
      return NODES.numberNode(new BigDecimal(text));
    }
    if (pos - start <= 18) {
      long v = Long.parseLong(text);
      return v == (int) v ? NODES.numberNode((int) v) : NODES.numberNode(v);
    }
    BigInteger v = new BigInteger(text);
    return v.bitLength() < 64 ? NODES.numberNode(v.longValue()) : NODES.numberNode(v);
  }

  private void digits(int numberStart) throws JsonParseException {
    if (!isDigit(peek())) {
      throw errorAt(numberStart, "a malformed number");
    }
    while (isDigit(peek())) {
      pos++;
    }
  }

  private void literal(String word) throws JsonParseException {
    int start = pos;
    for (int i = 0; i < word.length(); i++) {
      if (pos == in.length || in[pos] != word.charAt(i)) {
        throw errorAt(start, "an unrecognised token (expected " + word + ")");
      }
      pos++;
    }
    if (pos < in.length && !isDelimiter(in[pos])) {
      throw errorAt(start, "an unrecognised token (expected " + word + ")");
    }
  }

  private void skipWhitespace() {
    while (pos < in.length && (in[pos] == ' ' || in[pos] == '\n' || in[pos] == '\r' || in[pos] == '\t')) {
      pos++;
    }
  }

  private void expect(char c) throws JsonParseException {
    byte b = next("'" + c + "'");
    if (b != c) {
      throw errorAt(pos - 1, "expected '" + c + "', not " + describe(b));
    }
  }

  private byte next(String expected) throws JsonParseException {
    if (pos == in.length) {
      throw error("unexpected end of input, expected " + expected);
    }
    return in[pos++];
  }

  /** The next byte, or -1 at the end. */
  private int peek() {
    return pos < in.length ? in[pos] : -1;
  }

  private static boolean isDigit(int b) {
    return b >= '0' && b <= '9';
  }

  private static boolean isDelimiter(byte b) {
    return b == ',' || b == ']' || b == '}' || b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  private String describeNext() {
    return pos < in.length ? describe(in[pos]) : "the end of input";
  }

  private static String describe(byte b) {
    int c = b & 0xff;
    return c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : String.format("byte 0x%02x", c);
  }

  private JsonParseException error(String message) {
    return errorAt(pos, message);
  }

  private JsonParseException errorAt(int at, String message) {
    return new JsonParseException(null, message + " at byte " + at);
  }
}
