package dev.f2p.moderation.semantic;

import dev.f2p.core.HttpFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A strict, bounded JSON reader and writer for the few documents the adapters exchange: RFC 8259 values
 * as {@link Map}, {@link List}, {@link String}, {@link Double}, {@link Boolean} and {@code null}; nesting at
 * most {@value #MAX_DEPTH} deep. The input is already bounded by the caller's byte limit. Anything else
 * (trailing data, bad escapes, unquoted keys) fails with a message that never quotes the input, which may
 * echo a prompt. Stateless.
 */
final class Json {
  static final int MAX_DEPTH = 32;

  private final String s;
  private int i;

  private Json(String s) {
    this.s = s;
  }

  /** Parses a document. */
  static @Nullable Object parse(String text) throws ModerationException {
    Json p = new Json(text);
    Object v = p.value(0);
    p.ws();
    if (p.i != text.length()) {
      throw new ModerationException("malformed JSON: trailing data at offset " + p.i);
    }
    return v;
  }

  /** The object member {@code path[0]}, then {@code path[1]}..., or fails naming the path. */
  @SuppressWarnings("unchecked")
  static <T> T at(@Nullable Object doc, Class<T> type, Object... path) throws ModerationException {
    Object v = doc;
    for (Object key : path) {
      if (key instanceof Integer index && v instanceof List<?> list && index < list.size()) {
        v = list.get(index);
      } else if (key instanceof String name && v instanceof Map<?, ?> map && map.containsKey(name)) {
        v = map.get(name);
      } else {
        throw new ModerationException("unexpected answer: no " + java.util.Arrays.toString(path));
      }
    }
    if (!type.isInstance(v)) {
      throw new ModerationException("unexpected answer: " + java.util.Arrays.toString(path) + " is not a "
          + type.getSimpleName());
    }
    return (T) v;
  }

  /** A JSON string literal (the library's one escaper, shared with the HTTP fronts). */
  static String quote(String text) {
    return HttpFields.jsonString(text);
  }

  private @Nullable Object value(int depth) throws ModerationException {
    if (depth > MAX_DEPTH) {
      throw new ModerationException("malformed JSON: nested deeper than " + MAX_DEPTH);
    }
    ws();
    if (i >= s.length()) {
      throw new ModerationException("malformed JSON: ends early");
    }
    char c = s.charAt(i);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        return number();
    }
  }

  private Map<String, Object> object(int depth) throws ModerationException {
    Map<String, Object> m = new LinkedHashMap<>();
    i++;
    ws();
    if (peek('}')) {
      i++;
      return m;
    }
    while (true) {
      ws();
      if (!peek('"')) {
        throw new ModerationException("malformed JSON: expected a key at offset " + i);
      }
      String key = string();
      ws();
      expect(':');
      m.put(key, value(depth + 1));
      ws();
      if (peek(',')) {
        i++;
      } else {
        expect('}');
        return m;
      }
    }
  }

  private List<Object> array(int depth) throws ModerationException {
    List<Object> l = new ArrayList<>();
    i++;
    ws();
    if (peek(']')) {
      i++;
      return l;
    }
    while (true) {
      l.add(value(depth + 1));
      ws();
      if (peek(',')) {
        i++;
      } else {
        expect(']');
        return l;
      }
    }
  }

  private String string() throws ModerationException {
    i++;
    StringBuilder b = new StringBuilder();
    while (i < s.length()) {
      char c = s.charAt(i++);
      if (c == '"') {
        return b.toString();
      }
      if (c == '\\') {
        if (i >= s.length()) {
          break;
        }
        char e = s.charAt(i++);
        switch (e) {
          case '"', '\\', '/' -> b.append(e);
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'n' -> b.append('\n');
          case 'r' -> b.append('\r');
          case 't' -> b.append('\t');
          case 'u' -> {
            if (i + 4 > s.length()) {
              throw new ModerationException("malformed JSON: bad escape at offset " + i);
            }
            try {
              b.append((char) Integer.parseInt(s, i, i + 4, 16));
            } catch (NumberFormatException x) {
              throw new ModerationException("malformed JSON: bad escape at offset " + i);
            }
            i += 4;
          }
          default -> throw new ModerationException("malformed JSON: bad escape at offset " + i);
        }
      } else if (c < 0x20) {
        throw new ModerationException("malformed JSON: control character in a string at offset " + i);
      } else {
        b.append(c);
      }
    }
    throw new ModerationException("malformed JSON: unterminated string");
  }

  private Double number() throws ModerationException {
    int start = i;
    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
    try {
      if (start == i) {
        throw new NumberFormatException();
      }
      return Double.valueOf(s.substring(start, i));
    } catch (NumberFormatException e) {
      throw new ModerationException("malformed JSON: unexpected character at offset " + start);
    }
  }

  private @Nullable Object literal(String word, @Nullable Object v) throws ModerationException {
    if (!s.startsWith(word, i)) {
      throw new ModerationException("malformed JSON: unexpected character at offset " + i);
    }
    i += word.length();
    return v;
  }

  private boolean peek(char c) {
    return i < s.length() && s.charAt(i) == c;
  }

  private void expect(char c) throws ModerationException {
    if (!peek(c)) {
      throw new ModerationException("malformed JSON: expected '" + c + "' at offset " + i);
    }
    i++;
  }

  private void ws() {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\n' || s.charAt(i) == '\r' || s.charAt(i) == '\t')) {
      i++;
    }
  }
}
