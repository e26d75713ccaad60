package dev.f2p.testing;

import dev.f2p.core.EditRequest;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.Role;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.spi.Authenticator;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.EngineRequest;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.RateLimiter;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.core.spi.SecurityEventListener;
import dev.f2p.core.spi.ValidatedImage;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Small test policies for this module's operational features: fixed keys, an image validator that
 * accepts any bytes as a blank image, and an engine whose behaviour a test chooses per call.
 */
public final class TestClients {
  public static final String ALICE_KEY = "f2p_test_alice_4f9a1c2b7d8e0f11a2b3c4d5e6";
  public static final String BOB_KEY = "f2p_test_bob_00112233445566778899aabbccdd";
  public static final String ADMIN_KEY = "f2p_test_root_ffeeddccbbaa99887766554433";
  public static final String ADDRESS = "203.0.113.7";
  public static final String PROMPT = "a portrait of the person in a sunlit garden";

  private static final Map<String, Principal> KEYS = Map.of(
      ALICE_KEY, new Principal("alice", Set.of(Role.USER), "f2p_alice"),
      BOB_KEY, new Principal("bob", Set.of(Role.TRIAL), "f2p_bob"),
      ADMIN_KEY, new Principal("root", Set.of(Role.ADMIN), "f2p_root"));

  private TestClients() {}

  /** Authenticates the three test keys; counts every call so tests can see it was (not) reached. */
  public static final class Keys implements Authenticator {
    public final AtomicInteger calls = new AtomicInteger();

    @Override
    public Decision<Principal> authenticate(String presentedKey, String clientAddress) {
      calls.incrementAndGet();
      Principal p = KEYS.get(presentedKey);
      return p == null ? Decision.reject(ReasonCode.UNAUTHENTICATED) : Decision.allow(p);
    }
  }

  public static EditRequest.Builder request(String key) {
    return EditRequest.builder().apiKey(key).clientAddress(ADDRESS).prompt(PROMPT)
        .image(new byte[] {1, 2, 3, 4}).size(64, 64).steps(2).seed(7);
  }

  /** What the engine does on one call. */
  @FunctionalInterface
  public interface Behaviour {
    GeneratedImage run(EngineRequest request) throws Exception;
  }

  /** An engine that runs the behaviour a test sets; counts calls. */
  public static final class ScriptedEngine implements ImageEditEngine {
    public final AtomicInteger calls = new AtomicInteger();
    public volatile Behaviour behaviour = ScriptedEngine::blank;

    public static GeneratedImage blank(EngineRequest r) {
      return new GeneratedImage(new BufferedImage(r.width(), r.height(), BufferedImage.TYPE_INT_RGB), "scripted-1");
    }

    @Override
    public GeneratedImage edit(EngineRequest request) throws dev.f2p.core.spi.EngineException {
      calls.incrementAndGet();
      try {
        return behaviour.run(request);
      } catch (dev.f2p.core.spi.EngineException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public String modelId() {
      return "scripted-1";
    }
  }

  /** Records every event. */
  public static final class Recorder implements SecurityEventListener {
    public final List<SecurityEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(SecurityEvent event) {
      events.add(event);
    }
  }

  /** A client with the test keys, no rate limit, a prompt filter refusing "forbidden", and any guard. */
  public static ImageEditClient.Builder client(Authenticator keys, ResourceGuard guard, ImageEditEngine engine) {
    return ImageEditClient.builder()
        .authenticator(keys)
        .rateLimiter(RateLimiter.unlimited())
        .promptFilter((prompt, p) -> prompt.contains("forbidden")
            ? Decision.reject(Rejection.of(ReasonCode.PROMPT_REJECTED, "TEST_CATEGORY", "The prompt is not allowed."))
            : Decision.allow(prompt))
        .imageValidator((bytes, p) -> Decision.allow(
            new ValidatedImage(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "PNG")))
        .resourceGuard(guard)
        .engine(engine);
  }
}
