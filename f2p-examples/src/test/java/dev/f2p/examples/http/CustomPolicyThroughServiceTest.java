package dev.f2p.examples.http;

import static dev.f2p.examples.http.ServiceHarness.USER_KEY;
import static dev.f2p.examples.http.ServiceHarness.assertProblem;
import static dev.f2p.examples.http.ServiceHarness.body;
import static dev.f2p.examples.http.ServiceHarness.form;
import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.Stage;
import dev.f2p.examples.plugin.BrandTermsFilter;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The integrator's own prompt filter, selected by name in the settings, guards the HTTP service. */
class CustomPolicyThroughServiceTest {
  @Test
  void theBrandTermsFilterIsPickedUpFromTheSettings() {
    try (ServiceHarness h = new ServiceHarness(
        Map.of("f2p.prompt-filter.type", "brand-terms", "f2p.prompt-filter.terms", "acme,globex"), b -> {})) {
      HttpResponse<byte[]> refused = h.generate(USER_KEY, form("a portrait in an ACME jacket").build());
      assertProblem(refused, 422, "PROMPT_REJECTED");
      assertThat(body(refused).toLowerCase()).doesNotContain("acme");
      assertThat(h.events).anyMatch(e -> e.stage() == Stage.PROMPT_FILTER
          && e.detail().orElse("").equals(BrandTermsFilter.DETAIL)
          && "brand".equals(e.attributes().get("prompt.category")));
      // The fake word filter is not in use: its word passes.
      assertThat(h.generate(USER_KEY, form("a forbiddenword portrait").build()).statusCode()).isEqualTo(200);
    }
  }
}
