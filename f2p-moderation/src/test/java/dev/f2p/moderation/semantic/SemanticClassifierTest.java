package dev.f2p.moderation.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.f2p.core.Principal;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.PolicyProviders;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.spi.PromptFilterProvider;
import dev.f2p.security.prompt.StandardPromptFilter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The adapters against a loopback server answering in each service's documented format, and as a hostile
 * or broken service would: malformed, huge, slow, an error status.
 */
class SemanticClassifierTest {
  private static final Principal ALICE = new Principal("alice", Set.of(Role.USER), "k1");
  private static final String PROMPT = "a secret prompt about the moon";
  private static final Map<String, String> ENV = Map.of("GUARD_KEY", "sk-test-123");

  private HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private volatile byte[] answer = new byte[0];
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean stall;

  @BeforeEach
  void start() throws IOException {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/", exchange -> {
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      try {
        if (stall) {
          release.await(10, TimeUnit.SECONDS);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        // the client hung up on a huge answer: expected
      } finally {
        exchange.close();
      }
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
  }

  private void answer(String json) {
    answer = json.getBytes(StandardCharsets.UTF_8);
  }

  private static String chat(String content) {
    return "{\"id\":\"c1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":" + Json.quote(content) + "},\"finish_reason\":\"stop\"}]}";
  }

  private ChatGuardClassifier.Builder guard(ChatGuardClassifier.Format format) {
    return ChatGuardClassifier.builder().endpoint(base()).model("guard-model").format(format)
        .apiKeyEnvironmentVariable("GUARD_KEY").environment(ENV::get).timeout(Duration.ofSeconds(5));
  }

  private OpenAiModerationClassifier.Builder openai() {
    return OpenAiModerationClassifier.builder().endpoint(base()).apiKeyEnvironmentVariable("GUARD_KEY")
        .environment(ENV::get).timeout(Duration.ofSeconds(5));
  }

  @Nested
  class Qwen3Guard {
    @Test
    void sendsThePromptAsTheUserMessageWithTheKey() throws Exception {
      answer(chat("Safety: Safe\nCategories: None"));
      assertThat(guard(ChatGuardClassifier.Format.QWEN3_GUARD).build().classify(PROMPT, ALICE)).isEmpty();
      assertThat(bodies.get(0)).contains("\"model\":\"guard-model\"")
          .contains("\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]");
      assertThat(authorizations.get(0)).isEqualTo("Bearer sk-test-123");
    }

    @Test
    void unsafeAnswersMapToOurCategories() throws Exception {
      ChatGuardClassifier c = guard(ChatGuardClassifier.Format.QWEN3_GUARD).build();
      answer(chat("Safety: Unsafe\nCategories: Sexual Content or Sexual Acts"));
      assertThat(c.classify(PROMPT, ALICE)).contains("NON_CONSENSUAL");
      answer(chat("Safety: Unsafe\nCategories: Violent, Suicide & Self-Harm"));
      assertThat(c.classify(PROMPT, ALICE)).contains("SELF_HARM");
      answer(chat("Safety: Unsafe\nCategories: Jailbreak"));
      assertThat(c.classify(PROMPT, ALICE)).contains("MODERATION_FLAGGED");
    }

    @Test
    void controversialRefusesUnlessAllowed() throws Exception {
      answer(chat("Safety: Controversial\nCategories: Politically Sensitive Topics"));
      assertThat(guard(ChatGuardClassifier.Format.QWEN3_GUARD).build().classify(PROMPT, ALICE))
          .contains("MODERATION_FLAGGED");
      assertThat(guard(ChatGuardClassifier.Format.QWEN3_GUARD).allowControversial().build().classify(PROMPT, ALICE))
          .isEmpty();
    }

    @Test
    void anAnswerWithoutAVerdictFails() {
      answer(chat("I cannot help with that."));
      assertThatThrownBy(() -> guard(ChatGuardClassifier.Format.QWEN3_GUARD).build().classify(PROMPT, ALICE))
          .isInstanceOf(ModerationException.class).hasMessageNotContaining(PROMPT);
    }
  }

  @Nested
  class LlamaGuard4 {
    @Test
    void sendsTextPartsAndParsesHazardCodes() throws Exception {
      ChatGuardClassifier c = guard(ChatGuardClassifier.Format.LLAMA_GUARD_4).build();
      answer(chat("\n\nunsafe\nS4"));
      assertThat(c.classify(PROMPT, ALICE)).contains("SEXUAL_MINORS");
      assertThat(bodies.get(0)).contains("\"content\":[{\"type\":\"text\",\"text\":\"" + PROMPT + "\"}]");
      answer(chat("unsafe\nS10,S1"));
      assertThat(c.classify(PROMPT, ALICE)).contains("VIOLENCE");
      answer(chat("unsafe\nS14"));
      assertThat(c.classify(PROMPT, ALICE)).contains("MODERATION_FLAGGED");
      answer(chat("safe"));
      assertThat(c.classify(PROMPT, ALICE)).isEmpty();
    }

    @Test
    void anythingElseFails() {
      answer(chat("maybe"));
      assertThatThrownBy(() -> guard(ChatGuardClassifier.Format.LLAMA_GUARD_4).build().classify(PROMPT, ALICE))
          .isInstanceOf(ModerationException.class);
    }
  }

  @Nested
  class OpenAiModeration {
    @Test
    void flaggedCategoriesMapToTheMostSevere() throws Exception {
      answer("{\"id\":\"modr-1\",\"model\":\"omni-moderation-latest\",\"results\":[{\"flagged\":true,"
          + "\"categories\":{\"sexual\":true,\"sexual/minors\":true,\"violence\":false,\"self-harm\":false},"
          + "\"category_scores\":{\"sexual\":0.9,\"sexual/minors\":0.8},"
          + "\"category_applied_input_types\":{\"sexual\":[\"text\"]}}]}");
      assertThat(openai().build().classify(PROMPT, ALICE)).contains("SEXUAL_MINORS");
      assertThat(bodies.get(0)).isEqualTo("{\"model\":\"omni-moderation-latest\",\"input\":[{\"type\":\"text\",\"text\":\""
          + PROMPT + "\"}]}");
    }

    @Test
    void notFlaggedIsAllowed() throws Exception {
      answer("{\"results\":[{\"flagged\":false,\"categories\":{\"sexual\":false}}]}");
      assertThat(openai().build().classify(PROMPT, ALICE)).isEmpty();
    }

    @Test
    void imagesGoAsDataUrls() throws Exception {
      answer("{\"results\":[{\"flagged\":true,\"categories\":{\"violence/graphic\":true}}]}");
      assertThat(openai().build().classifyImage(new byte[] {1, 2, 3}, "image/png", "")).contains("VIOLENCE");
      assertThat(bodies.get(0)).contains("{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AQID\"}}");
    }

    @Test
    void aMissingKeyFailsTheBuild() {
      assertThatThrownBy(() -> OpenAiModerationClassifier.builder().endpoint(base()).apiKeyEnvironmentVariable("NONE")
          .environment(name -> null).build()).hasMessageContaining("NONE");
    }
  }

  @Nested
  class HostileOrBrokenServices {
    @Test
    void malformedJsonFails() {
      answer("{\"choices\":[{\"message\":{\"content\":\"safe\"}}");
      assertThatThrownBy(() -> guard(ChatGuardClassifier.Format.LLAMA_GUARD_4).build().classify(PROMPT, ALICE))
          .isInstanceOf(ModerationException.class).hasMessageContaining("malformed");
    }

    @Test
    void deeplyNestedJsonFails() {
      answer("[".repeat(10_000));
      assertThatThrownBy(() -> openai().build().classify(PROMPT, ALICE)).isInstanceOf(ModerationException.class)
          .hasMessageContaining("deeper");
    }

    @Test
    void aHugeAnswerIsCutOff() {
      answer("{\"results\":[{\"flagged\":false,\"pad\":\"" + "x".repeat(2_000_000) + "\"}]}");
      assertThatThrownBy(() -> openai().maxResponseBytes(4096).build().classify(PROMPT, ALICE))
          .isInstanceOf(ModerationException.class).hasMessageContaining("exceeds 4096 bytes");
    }

    @Test
    void aSlowServiceFailsAtTheTimeout() {
      stall = true;
      answer(chat("safe"));
      assertThatThrownBy(() -> guard(ChatGuardClassifier.Format.LLAMA_GUARD_4).timeout(Duration.ofMillis(300)).build()
          .classify(PROMPT, ALICE)).isInstanceOf(ModerationException.class).hasMessageContaining("did not answer");
    }

    @Test
    void anErrorStatusFailsWithoutEchoingTheBody() {
      status = 500;
      answer("{\"error\":\"" + PROMPT + "\"}");
      assertThatThrownBy(() -> openai().build().classify(PROMPT, ALICE)).isInstanceOf(ModerationException.class)
          .hasMessageContaining("HTTP 500").hasMessageNotContaining(PROMPT);
    }

    @Test
    void theFilterFailsClosedOnEachOfThem() {
      status = 503;
      PromptFilter f = StandardPromptFilter.builder().moderationClassifier(
          guard(ChatGuardClassifier.Format.QWEN3_GUARD).build(), Runnable::run, Duration.ofSeconds(5)).build();
      Decision<String> d = f.check(PROMPT, ALICE);
      assertThat(d).isInstanceOf(Decision.Rejected.class);
      assertThat(((Decision.Rejected<String>) d).rejection().detail()).isEqualTo("MODERATION_UNAVAILABLE");
    }
  }

  @Test
  void settingsSelectAClassifierForTheStandardFilter() {
    answer(chat("unsafe\nS12"));
    PromptFilter f = PolicyProviders.create(PromptFilterProvider.class, "standard", PolicySettings.of(Map.of(
        "classifier.type", "chat-guard", "classifier.endpoint", base().toString(), "classifier.model", "m",
        "classifier.format", "llama-guard-4", "classifier.timeout", "5s")));
    Decision<String> d = f.check(PROMPT, ALICE);
    assertThat(((Decision.Rejected<String>) d).rejection().detail()).isEqualTo("NON_CONSENSUAL");
    assertThat(Optional.ofNullable(authorizations.get(0))).contains("null"); // no key configured, none sent
  }
}
