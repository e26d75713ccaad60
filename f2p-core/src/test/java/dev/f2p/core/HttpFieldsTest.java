package dev.f2p.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpFieldsTest {
  @Test
  void rateLimitPolicyNamesAreStructuredFieldStrings() {
    assertThat(HttpFields.sfString("per-key")).isEqualTo("\"per-key\"");
    assertThat(HttpFields.sfString("a\"b\\c\u00e9\n")).isEqualTo("\"a\\\"b\\\\c??\"");
  }

  @Test
  void rateLimitFieldsRoundSecondsUpSoAClientIsNeverEarly() {
    Quota q = new Quota("per-key", 10, Duration.ofSeconds(60), 3, Duration.ofMillis(41_200));
    assertThat(HttpFields.rateLimitPolicy(q)).isEqualTo("\"per-key\";q=10;w=60");
    assertThat(HttpFields.rateLimit(q)).isEqualTo("\"per-key\";r=3;t=42");
  }

  @Test
  void a429Or503WithoutItsOwnWaitTellsTheDefaultAndOthersTellNone() {
    assertThat(HttpFields.retryAfter(Rejection.of(ReasonCode.RATE_LIMITED))).isEqualTo(HttpFields.DEFAULT_RETRY_AFTER);
    assertThat(HttpFields.retryAfter(Rejection.of(ReasonCode.UNAUTHENTICATED))).isZero();
    assertThat(HttpFields.retryAfterSeconds(Duration.ofMillis(1))).isEqualTo(1);
    assertThat(HttpFields.problemType("INVALID_REQUEST")).isEqualTo("urn:f2p:problem:invalid-request");
  }

  @Test
  void jsonStringsEscapeQuotesBackslashesAndEveryControlCharacter() {
    assertThat(HttpFields.jsonString("plain é 中")).isEqualTo("\"plain é 中\"");
    assertThat(HttpFields.jsonString("a\"b\\c\n\r\t\u0000\u001f")).isEqualTo("\"a\\\"b\\\\c\\n\\r\\t\\u0000\\u001f\"");
    // Valid JSON, but they end a line in JavaScript: escaped so the literal is safe there too.
    assertThat(HttpFields.jsonString("\u2028\u2029")).isEqualTo("\"\\u2028\\u2029\"");
  }

  @Test
  void aProblemIsOneJsonObjectWithEveryTextEscaped() {
    assertThat(HttpFields.problemJson(401, "UNAUTHENTICATED", "Missing or invalid API key.", "id-1")).isEqualTo(
        "{\"type\":\"urn:f2p:problem:unauthenticated\",\"title\":\"Unauthorized\",\"status\":401,"
        + "\"detail\":\"Missing or invalid API key.\",\"instance\":\"id-1\",\"code\":\"UNAUTHENTICATED\"}");
    assertThat(HttpFields.jsonString("a\"b\\c\n\u0001\u2028é")).isEqualTo("\"a\\\"b\\\\c\\n\\u0001\\u2028é\"");
    assertThat(HttpFields.problemTitle(418)).isEqualTo("Client Error");
    assertThat(HttpFields.problemTitle(599)).isEqualTo("Server Error");
  }
}
