package dev.f2p.examples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MultipartFormTest {
  private static final byte[] IMAGE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', '-', '-', 1, 2, 3};

  private static MultipartForm read(byte[] body, long limit, boolean oneByteAtATime) throws Exception {
    InputStream in = new ByteArrayInputStream(body);
    if (oneByteAtATime) {
      in = new FilterInputStream(in) {
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return super.read(b, off, Math.min(len, 1));
        }
      };
    }
    return MultipartForm.read(new BoundedBody(in, limit, Long.MAX_VALUE, () -> 0L), Multipart.BOUNDARY, 1 << 20);
  }

  private static MultipartForm read(byte[] body) throws Exception {
    return read(body, 1 << 20, false);
  }

  private static Problem problem(byte[] body) {
    return catchThrowableOfType(Problem.Failure.class, () -> read(body)).problem();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void readsEveryPartWhateverTheReadSizes(boolean oneByteAtATime) throws Exception {
    byte[] body = new Multipart().file("image", IMAGE).text("prompt", "ein Porträt ✓").text("width", "640")
        .text("negative_prompt", "").build();
    MultipartForm form = read(body, 1 << 20, oneByteAtATime);
    assertThat(form.image()).isEqualTo(IMAGE);
    assertThat(form.field("prompt")).hasValue("ein Porträt ✓");
    assertThat(form.field("width")).hasValue("640");
    assertThat(form.field("negative_prompt")).hasValue("");
    assertThat(form.field("height")).isEmpty();
  }

  @Test
  void acceptsQuotedBoundariesAndEscapedQuotesInFilenames() throws Exception {
    assertThat(MultipartForm.boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b:c\""))
        .isEqualTo("a b:c");
    byte[] body = new Multipart().part("content-disposition: form-data; filename=\"a\\\"b;.png\"; name=image\r\n",
        IMAGE).text("prompt", "p").build();
    assertThat(read(body).image()).isEqualTo(IMAGE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json", "multipart/mixed; boundary=x", "multipart/form-data",
      "multipart/form-data; boundary=", "multipart/form-data; boundary=a; boundary=b",
      "multipart/form-data; boundary=this-boundary-is-far-too-long-for-rfc-2046-which-allows-seventy-chars-x",
      "multipart/form-data; boundary=bad\r\nheader"})
  void refusesContentTypesThatAreNotAFormWithAGoodBoundary(String contentType) {
    Problem p = catchThrowableOfType(Problem.Failure.class, () -> MultipartForm.boundary(contentType)).problem();
    assertThat(p.status()).isIn(400, 415);
  }

  static Stream<Arguments> malformed() {
    byte[] image = IMAGE;
    return Stream.of(
        Arguments.of("structure: preamble", new Multipart().raw("hello\r\n").file("image", image)
            .text("prompt", "p").build()),
        Arguments.of("structure: no closing boundary", new Multipart().file("image", image).text("prompt", "p")
            .unterminated()),
        Arguments.of("structure: junk after boundary", new Multipart().file("image", image).raw("--"
            + Multipart.BOUNDARY + "  \r\n").build()),
        Arguments.of("structure: empty body", new byte[0]),
        Arguments.of("parts: unknown part", new Multipart().file("image", image).text("prompt", "p")
            .text("callback_url", "http://x").build()),
        Arguments.of("parts: repeated prompt", new Multipart().file("image", image).text("prompt", "p")
            .text("prompt", "q").build()),
        Arguments.of("parts: repeated image", new Multipart().file("image", image).file("image", image)
            .text("prompt", "p").build()),
        Arguments.of("parts: missing image", new Multipart().text("prompt", "p").build()),
        Arguments.of("parts: empty image", new Multipart().file("image", new byte[0]).text("prompt", "p").build()),
        Arguments.of("parts: missing prompt", new Multipart().file("image", image).build()),
        Arguments.of("parts: too many", many()),
        Arguments.of("headers: no disposition", new Multipart().part("Content-Type: text/plain\r\n",
            "p".getBytes(StandardCharsets.UTF_8)).build()),
        Arguments.of("headers: not form-data", new Multipart().part("Content-Disposition: attachment; "
            + "name=\"prompt\"\r\n", "p".getBytes(StandardCharsets.UTF_8)).build()),
        Arguments.of("headers: two names", new Multipart().part("Content-Disposition: form-data; name=prompt; "
            + "name=image\r\n", "p".getBytes(StandardCharsets.UTF_8)).build()),
        Arguments.of("headers: unterminated quote", new Multipart().part("Content-Disposition: form-data; "
            + "name=\"prompt\r\n", "p".getBytes(StandardCharsets.UTF_8)).build()),
        Arguments.of("headers: line too long", new Multipart().part("Content-Disposition: form-data; name=prompt; "
            + "x=\"" + "a".repeat(2000) + "\"\r\n", "p".getBytes(StandardCharsets.UTF_8)).build()),
        Arguments.of("headers: too many", new Multipart().part("Content-Disposition: form-data; name=prompt\r\n"
            + "X-A: 1\r\n".repeat(9), "p".getBytes(StandardCharsets.UTF_8)).build()),
        Arguments.of("headers: bad name", new Multipart().part("Content Disposition: form-data; name=prompt\r\n",
            "p".getBytes(StandardCharsets.UTF_8)).build()),
        Arguments.of("encoding: base64 transfer encoding", new Multipart().file("image", image)
            .part("Content-Disposition: form-data; name=prompt\r\nContent-Transfer-Encoding: base64\r\n",
                "cA==".getBytes(StandardCharsets.UTF_8)).build()),
        Arguments.of("encoding: invalid UTF-8", new Multipart().file("image", image)
            .part("Content-Disposition: form-data; name=prompt\r\n", new byte[] {'a', (byte) 0xc3, '('}).build()),
        Arguments.of("size: prompt over the text limit", new Multipart().file("image", image)
            .text("prompt", "p".repeat(MultipartForm.MAX_TEXT_BYTES + 1)).build()),
        Arguments.of("size: number over its limit", new Multipart().file("image", image).text("prompt", "p")
            .text("width", "1".repeat(MultipartForm.MAX_NUMBER_BYTES + 1)).build()));
  }

  private static byte[] many() {
    Multipart m = new Multipart().file("image", IMAGE).text("prompt", "p");
    for (String name : new String[] {"width", "height", "steps", "seed", "guidance", "negative_prompt", "width"}) {
      m.text(name, "1");
    }
    return m.build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void refusesMalformedFormsWith400(String category, byte[] body) {
    assertThat(problem(body).status()).as(category).isEqualTo(400);
    assertThat(problem(body).code()).isEqualTo("INVALID_REQUEST");
  }

  @Test
  void anImageOverItsLimitIs413() {
    byte[] body = new Multipart().file("image", new byte[5000]).text("prompt", "p").build();
    Problem p = catchThrowableOfType(Problem.Failure.class, () -> MultipartForm.read(
        new BoundedBody(new ByteArrayInputStream(body), 1 << 20, Long.MAX_VALUE, () -> 0L),
        Multipart.BOUNDARY, 4000)).problem();
    assertThat(p.status()).isEqualTo(413);
  }

  @Test
  void theBodyLimitStopsReadingOneByteAfterIt() {
    byte[] body = new Multipart().file("image", new byte[100_000]).text("prompt", "p").build();
    BoundedBody bounded = new BoundedBody(new ByteArrayInputStream(body), 10_000, Long.MAX_VALUE, () -> 0L);
    assertThatThrownBy(() -> MultipartForm.read(bounded, Multipart.BOUNDARY, 1 << 20))
        .isInstanceOfSatisfying(Problem.Failure.class, f -> assertThat(f.problem().status()).isEqualTo(413));
    assertThat(bounded.bytesRead()).isEqualTo(10_001);
  }

  @Test
  void problemsRenderAsRfc9457JsonWithEscapedText() {
    String json = new String(Problem.malformed("a \"quoted\"\nline\u0001").toJson("req-1"), StandardCharsets.UTF_8);
    assertThat(json).isEqualTo("{\"type\":\"urn:f2p:problem:invalid-request\",\"title\":\"Bad Request\","
        + "\"status\":400,\"detail\":\"a \\\"quoted\\\"\\nline\\u0001\",\"instance\":\"req-1\","
        + "\"code\":\"INVALID_REQUEST\"}");
  }
}
