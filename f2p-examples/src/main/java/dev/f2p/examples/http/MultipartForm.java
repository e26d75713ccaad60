package dev.f2p.examples.http;

import dev.f2p.core.EditRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A strict, bounded {@code multipart/form-data} reader (RFC 7578) for the {@code /generate} form: the part
 * {@code image} (a file, at most the body limit) and the text parts {@code prompt} and
 * {@code negative_prompt} (UTF-8, at most {@value #MAX_TEXT_BYTES} bytes) and {@code width}, {@code height},
 * {@code steps}, {@code seed}, {@code guidance} (at most {@value #MAX_NUMBER_BYTES} bytes).
 *
 * <p>Strict, because every leniency is a place for a smuggled or ambiguous request: the body starts with
 * the first boundary (no preamble), no whitespace follows a boundary, every part has a
 * {@code Content-Disposition: form-data} with a name, an unknown or repeated part name is refused, a
 * {@code Content-Transfer-Encoding} other than the identity ones is refused, text must be valid UTF-8.
 * Bounded: part headers at most {@value #MAX_HEADER_LINE} bytes a line and {@value #MAX_HEADER_LINES}
 * lines, at most {@value #MAX_PARTS} parts, each part's size checked while it is read. Every refusal is a
 * {@link Problem.Failure} (400, or 413 from the body limit); nothing here throws anything else but
 * {@link IOException} from the socket. Not thread-safe: one per request.
 */
final class MultipartForm {
  static final String IMAGE = "image";
  static final String PROMPT = "prompt";
  static final String NEGATIVE_PROMPT = "negative_prompt";
  static final int MAX_TEXT_BYTES = 4 * EditRequest.MAX_PROMPT_CHARS;
  static final int MAX_NUMBER_BYTES = 32;
  static final int MAX_HEADER_LINE = 1024;
  static final int MAX_HEADER_LINES = 8;
  static final int MAX_PARTS = 8;
  private static final int BUFFER = 16 * 1024;
  // RFC 2046 bchars; 1 to 70 characters, not ending in a space.
  private static final Pattern BOUNDARY = Pattern.compile("[0-9A-Za-z'()+_,./:=? -]{0,69}[0-9A-Za-z'()+_,./:=?-]");
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Map<String, Integer> TEXT_PARTS = Map.of(PROMPT, MAX_TEXT_BYTES,
      NEGATIVE_PROMPT, MAX_TEXT_BYTES, "width", MAX_NUMBER_BYTES, "height", MAX_NUMBER_BYTES,
      "steps", MAX_NUMBER_BYTES, "seed", MAX_NUMBER_BYTES, "guidance", MAX_NUMBER_BYTES);

  private final byte[] image;
  private final Map<String, String> fields;

  private MultipartForm(byte[] image, Map<String, String> fields) {
    this.image = image;
    this.fields = fields;
  }

  /** The image part's bytes. */
  byte[] image() {
    return image;
  }

  /** A text part, if it was sent. */
  Optional<String> field(String name) {
    return Optional.ofNullable(fields.get(name));
  }

  /** The boundary of a {@code multipart/form-data} content type; refuses anything else with 415 or 400. */
  static String boundary(String contentType) throws Problem.Failure {
    String[] params = contentType.split(";", -1);
    if (!params[0].trim().toLowerCase(Locale.ROOT).equals("multipart/form-data")) {
      throw new Problem.Failure(Problem.of(415, dev.f2p.core.ReasonCode.INVALID_REQUEST.name(),
          "The request body must be multipart/form-data."));
    }
    String boundary = null;
    for (int i = 1; i < params.length; i++) {
      String p = params[i].trim();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
        if (boundary != null) {
          throw malformed("The multipart boundary is given twice.");
        }
        String v = p.substring(eq + 1).trim();
        boundary = v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
      }
    }
    if (boundary == null || !BOUNDARY.matcher(boundary).matches()) {
      throw malformed("The multipart boundary is missing or invalid.");
    }
    return boundary;
  }

  /** Reads the whole form from {@code body}; the image may be at most {@code maxImageBytes}. */
  static MultipartForm read(BoundedBody body, String boundary, int maxImageBytes)
      throws IOException, Problem.Failure {
    return new Reader(body, boundary).readForm(maxImageBytes);
  }

  private static Problem.Failure malformed(String detail) {
    return new Problem.Failure(Problem.malformed(detail));
  }

  /** The reading state: one buffer, a cursor, and the delimiter {@code CRLF--boundary}. */
  private static final class Reader {
    private final BoundedBody in;
    private final byte[] delimiter;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int limit;

    Reader(BoundedBody in, String boundary) {
      this.in = in;
      this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
      // The first boundary has no CRLF before it; pretend it has, so one search finds every delimiter.
      buf[0] = '\r';
      buf[1] = '\n';
      limit = 2;
    }

    MultipartForm readForm(int maxImageBytes) throws IOException, Problem.Failure {
      if (readUntilDelimiter(0, "preamble").size() != 0) {
        throw malformed("The body must start with the multipart boundary.");
      }
      byte[] image = null;
      Map<String, String> fields = new LinkedHashMap<>();
      for (int parts = 0; ; parts++) {
        byte[] next = take(2);
        if (next[0] == '-' && next[1] == '-') {
          break; // the close delimiter; the epilogue is never read
        }
        if (next[0] != '\r' || next[1] != '\n') {
          throw malformed("A multipart boundary is followed by unexpected bytes.");
        }
        if (parts == MAX_PARTS) {
          throw malformed("The form has too many parts.");
        }
        String name = readPartHeaders();
        if ((name.equals(IMAGE) && image != null) || fields.containsKey(name)) {
          throw malformed("The form repeats a part.");
        }
        if (name.equals(IMAGE)) {
          ByteArrayOutputStream bytes = readUntilDelimiter(maxImageBytes, IMAGE);
          image = bytes.toByteArray();
        } else {
          Integer max = TEXT_PARTS.get(name);
          if (max == null) {
            throw malformed("The form has an unknown part; allowed: image, prompt, negative_prompt, width, "
                + "height, steps, seed, guidance.");
          }
          fields.put(name, utf8(readUntilDelimiter(max, name).toByteArray()));
        }
      }
      if (image == null || image.length == 0) {
        throw malformed("The form needs a non-empty part 'image'.");
      }
      if (!fields.containsKey(PROMPT)) {
        throw malformed("The form needs a part 'prompt'.");
      }
      return new MultipartForm(image, Map.copyOf(fields));
    }

    /** Reads one part's headers; returns the part's name. */
    private String readPartHeaders() throws IOException, Problem.Failure {
      String name = null;
      for (int lines = 0; ; lines++) {
        String line = readLine();
        if (line.isEmpty()) {
          break;
        }
        if (lines == MAX_HEADER_LINES) {
          throw malformed("A part has too many headers.");
        }
        int colon = line.indexOf(':');
        if (colon <= 0 || !TOKEN.matcher(line.substring(0, colon)).matches()) {
          throw malformed("A part header is malformed.");
        }
        String header = line.substring(0, colon).toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).trim();
        if (header.equals("content-disposition")) {
          if (name != null) {
            throw malformed("A part has two Content-Disposition headers.");
          }
          name = dispositionName(value);
        } else if (header.equals("content-transfer-encoding")) {
          String v = value.toLowerCase(Locale.ROOT);
          if (!v.equals("binary") && !v.equals("8bit") && !v.equals("7bit")) {
            throw malformed("A part's Content-Transfer-Encoding is not supported.");
          }
        }
        // Content-Type and other part headers are not needed: the validator identifies images by bytes.
      }
      if (name == null) {
        throw malformed("A part has no Content-Disposition.");
      }
      return name;
    }

    /** The {@code name} parameter of a {@code form-data} disposition. */
    private static String dispositionName(String value) throws Problem.Failure {
      String name = null;
      int i = value.indexOf(';');
      if (!(i < 0 ? value : value.substring(0, i)).trim().equalsIgnoreCase("form-data")) {
        throw malformed("A part is not form-data.");
      }
      while (i >= 0 && i < value.length()) {
        int start = i + 1;
        int eq = value.indexOf('=', start);
        if (eq < 0) {
          throw malformed("A part's Content-Disposition is malformed.");
        }
        String param = value.substring(start, eq).trim().toLowerCase(Locale.ROOT);
        StringBuilder v = new StringBuilder();
        int j = eq + 1;
        while (j < value.length() && value.charAt(j) == ' ') {
          j++;
        }
        if (j < value.length() && value.charAt(j) == '"') {
          for (j++; ; j++) {
            if (j >= value.length()) {
              throw malformed("A part's Content-Disposition has an unterminated quote.");
            }
            char c = value.charAt(j);
            if (c == '\\' && j + 1 < value.length()) {
              v.append(value.charAt(++j));
            } else if (c == '"') {
              j++;
              break;
            } else {
              v.append(c);
            }
          }
          while (j < value.length() && value.charAt(j) == ' ') {
            j++;
          }
          if (j < value.length() && value.charAt(j) != ';') {
            throw malformed("A part's Content-Disposition is malformed.");
          }
        } else {
          int end = value.indexOf(';', j);
          v.append(value, j, end < 0 ? value.length() : end).setLength(v.toString().trim().length());
          j = end < 0 ? value.length() : end;
        }
        if (param.equals("name")) {
          if (name != null) {
            throw malformed("A part has two names.");
          }
          name = v.toString();
        }
        i = j < value.length() ? j : -1;
      }
      if (name == null || name.isEmpty()) {
        throw malformed("A part has no name.");
      }
      return name;
    }

    /** A CRLF-terminated header line, ISO-8859-1, at most {@link #MAX_HEADER_LINE} bytes. */
    private String readLine() throws IOException, Problem.Failure {
      while (true) {
        for (int i = pos; i + 1 < limit; i++) {
          if (buf[i] == '\r' && buf[i + 1] == '\n') {
            String line = new String(buf, pos, i - pos, StandardCharsets.ISO_8859_1);
            pos = i + 2;
            return line;
          }
        }
        if (limit - pos > MAX_HEADER_LINE) {
          throw malformed("A part header line is too long.");
        }
        if (!fill()) {
          throw malformed("The multipart body ends inside a part's headers.");
        }
      }
    }

    private byte[] take(int n) throws IOException, Problem.Failure {
      while (limit - pos < n) {
        if (!fill()) {
          throw malformed("The multipart body ends without a closing boundary.");
        }
      }
      byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
      pos += n;
      return out;
    }

    /** The bytes up to the next delimiter, at most {@code max} of them; the cursor moves past it. */
    private ByteArrayOutputStream readUntilDelimiter(int max, String part) throws IOException, Problem.Failure {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, BUFFER));
      while (true) {
        int at = indexOfDelimiter();
        int end = at >= 0 ? at : Math.max(pos, limit - (delimiter.length - 1));
        if (out.size() + (end - pos) > max) {
          if (part.equals(IMAGE)) {
            throw new Problem.Failure(Problem.of(413, Problem.BODY_TOO_LARGE, "The image is too large."));
          }
          throw malformed(part.equals("preamble") ? "The body must start with the multipart boundary."
              : "The part '" + part + "' is too long.");
        }
        out.write(buf, pos, end - pos);
        pos = end;
        if (at >= 0) {
          pos += delimiter.length;
          return out;
        }
        if (!fill()) {
          throw malformed("The multipart body ends without a closing boundary.");
        }
      }
    }

    private int indexOfDelimiter() {
      byte first = delimiter[0];
      outer:
      for (int i = pos; i <= limit - delimiter.length; i++) {
        if (buf[i] != first) {
          continue;
        }
        for (int k = 1; k < delimiter.length; k++) {
          if (buf[i + k] != delimiter[k]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }

    /** Moves the unread bytes to the front and reads more; false at the end of the body. */
    private boolean fill() throws IOException, Problem.Failure {
      if (pos > 0) {
        System.arraycopy(buf, pos, buf, 0, limit - pos);
        limit -= pos;
        pos = 0;
      }
      if (limit == buf.length) {
        return true; // full of undecided bytes; cannot happen while the buffer exceeds a line and a delimiter
      }
      int n = in.read(buf, limit, buf.length - limit);
      if (n <= 0) {
        return false;
      }
      limit += n;
      return true;
    }

    private static String utf8(byte[] bytes) throws Problem.Failure {
      try {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
      } catch (CharacterCodingException e) {
        throw malformed("A text part is not valid UTF-8.");
      }
    }
  }
}
