package dev.f2p.provenance;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Writes and reads the XMP packet of GB 45438-2025 Annex E: {@code TC260:AIGC} in namespace
 * {@value #NAMESPACE}, its value a JSON object with the seven fields, as the standard's example and the
 * platforms that apply it write it.
 */
final class Xmp {
  static final String NAMESPACE = "http://www.tc260.org.cn/ns/AIGC/1.0/";
  static final int MAX_PACKET = 256 * 1024;
  private static final int MAX_FIELD = 1024;
  private static final String[] FIELDS = {
    "Label", "ContentProducer", "ProduceID", "ReservedCode1", "ContentPropagator", "PropagateID", "ReservedCode2"
  };

  private Xmp() {}

  static byte[] packet(AigcLabel label) {
    String[] values = values(label);
    StringBuilder json = new StringBuilder("{");
    for (int i = 0; i < FIELDS.length; i++) {
      json.append(i == 0 ? "" : ",").append('"').append(FIELDS[i]).append("\":\"").append(jsonEscape(values[i])).append('"');
    }
    json.append('}');
    String xml = "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
        + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
        + " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
        + "  <rdf:Description rdf:about=\"\" xmlns:TC260=\"" + NAMESPACE + "\"\n"
        + "    TC260:AIGC=\"" + xmlEscape(json.toString()) + "\"/>\n"
        + " </rdf:RDF>\n"
        + "</x:xmpmeta>\n"
        + "<?xpacket end=\"w\"?>";
    return xml.getBytes(StandardCharsets.UTF_8);
  }

  /** The label in an XMP packet, as an attribute or an element of any prefix bound to the namespace. */
  static Optional<AigcLabel> parse(byte[] packet) {
    if (packet.length > MAX_PACKET) {
      return Optional.empty();
    }
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      DocumentBuilder builder = f.newDocumentBuilder();
      builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler());
      Element root = builder.parse(new ByteArrayInputStream(packet)).getDocumentElement();
      NodeList descriptions = root.getElementsByTagNameNS("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "Description");
      for (int i = 0; i < descriptions.getLength(); i++) {
        Element d = (Element) descriptions.item(i);
        String value = d.hasAttributeNS(NAMESPACE, "AIGC") ? d.getAttributeNS(NAMESPACE, "AIGC") : null;
        NodeList children = d.getElementsByTagNameNS(NAMESPACE, "AIGC");
        if (value == null && children.getLength() > 0) {
          value = children.item(0).getTextContent();
        }
        if (value != null) {
          return fromJson(value);
        }
      }
    } catch (Exception e) {
      // Malformed or hostile XML: no label, never an exception.
    }
    return Optional.empty();
  }

  private static Optional<AigcLabel> fromJson(String json) {
    Map<String, String> map = Json.parseFlatObject(json, FIELDS.length * 4, MAX_FIELD).orElse(null);
    if (map == null || !map.containsKey("Label")) {
      return Optional.empty();
    }
    String[] v = new String[FIELDS.length];
    for (int i = 0; i < FIELDS.length; i++) {
      v[i] = map.getOrDefault(FIELDS[i], "");
    }
    return Optional.of(new AigcLabel(v[0], v[1], v[2], v[3], v[4], v[5], v[6]));
  }

  private static String[] values(AigcLabel l) {
    return new String[] {
      l.label(), l.contentProducer(), l.produceId(), l.reservedCode1(), l.contentPropagator(), l.propagateId(), l.reservedCode2()
    };
  }

  private static String jsonEscape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  private static String xmlEscape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** Just enough JSON: one flat object of string values, bounded in entries and lengths. */
  static final class Json {
    private final String s;
    private int i;

    private Json(String s) {
      this.s = s;
    }

    static Optional<Map<String, String>> parseFlatObject(String text, int maxEntries, int maxLength) {
      Json p = new Json(text);
      Map<String, String> out = new LinkedHashMap<>();
      try {
        p.skip();
        p.expect('{');
        p.skip();
        if (p.peek() == '}') {
          return Optional.of(out);
        }
        while (true) {
          p.skip();
          String key = p.string(maxLength);
          p.skip();
          p.expect(':');
          p.skip();
          String value = p.peek() == '"' ? p.string(maxLength) : p.scalar(maxLength);
          if (out.size() >= maxEntries) {
            return Optional.empty();
          }
          out.putIfAbsent(key, value);
          p.skip();
          char c = p.next();
          if (c == '}') {
            return Optional.of(out);
          }
          if (c != ',') {
            return Optional.empty();
          }
        }
      } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
        return Optional.empty();
      }
    }

    private char peek() {
      return s.charAt(i);
    }

    private char next() {
      return s.charAt(i++);
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private void expect(char c) {
      if (next() != c) {
        throw new IllegalArgumentException("expected " + c);
      }
    }

    private String scalar(int maxLength) {
      int start = i;
      while (i < s.length() && ",}".indexOf(s.charAt(i)) < 0) {
        i++;
      }
      if (i - start > maxLength) {
        throw new IllegalArgumentException("too long");
      }
      return s.substring(start, i).trim();
    }

    private String string(int maxLength) {
      expect('"');
      StringBuilder b = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return b.toString();
        }
        if (c == '\\') {
          char e = next();
          switch (e) {
            case 'n' -> b.append('\n');
            case 't' -> b.append('\t');
            case 'r' -> b.append('\r');
            case 'b' -> b.append('\b');
            case 'f' -> b.append('\f');
            case 'u' -> {
              b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
              i += 4;
            }
            default -> b.append(e);
          }
        } else {
          b.append(c);
        }
        if (b.length() > maxLength) {
          throw new IllegalArgumentException("too long");
        }
      }
    }
  }
}
