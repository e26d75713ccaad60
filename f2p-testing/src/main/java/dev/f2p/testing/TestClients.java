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
  /** {@link Keys} authenticates it as principal {@code alice} with {@link Role#USER}. */
  public static final String ALICE_KEY = "f2p_test_alice_4f9a1c2b7d8e0f11a2b3c4d5e6";
  /** {@link Keys} authenticates it as principal {@code bob} with {@link Role#TRIAL} only. */
  public static final String BOB_KEY = "f2p_test_bob_00112233445566778899aabbccdd";
  /** {@link Keys} authenticates it as principal {@code root} with {@link Role#ADMIN}. */
  public static final String ADMIN_KEY = "f2p_test_root_ffeeddccbbaa99887766554433";
  /** The client address of every {@link #request} (TEST-NET-3, never routed). */
  public static final String ADDRESS = "203.0.113.7";
  /** The prompt of every {@link #request}: harmless, so no prompt filter refuses it. */
  public static final String PROMPT = "a portrait of the person in a sunlit garden";

  private static final Map<String, Principal> KEYS = Map.of(
      ALICE_KEY, new Principal("alice", Set.of(Role.USER), "f2p_alice"),
      BOB_KEY, new Principal("bob", Set.of(Role.TRIAL), "f2p_bob"),
      ADMIN_KEY, new Principal("root", Set.of(Role.ADMIN), "f2p_root"));

  private TestClients() {}

  /** Authenticates the three test keys; counts every call so tests can see it was (not) reached. */
  public static final class Keys implements Authenticator {
    /** How many times {@link #authenticate} was called, whatever it answered. */
    public final AtomicInteger calls = new AtomicInteger();

    /** An authenticator that has seen no call yet. */
    public Keys() {}

    /**
     * Allows the three test keys as their principals; any other key is
     * {@link ReasonCode#UNAUTHENTICATED}. The address is not looked at.
     */
    @Override
    public Decision<Principal> authenticate(String presentedKey, String clientAddress) {
      calls.incrementAndGet();
      Principal p = KEYS.get(presentedKey);
      return p == null ? Decision.reject(ReasonCode.UNAUTHENTICATED) : Decision.allow(p);
    }
  }

  /**
   * A valid request that every policy of {@link #client} allows: a harmless {@link #PROMPT} from
   * {@link #ADDRESS}, four image bytes (which {@link #client}'s validator accepts as any image), 64x64, 2
   * steps, seed 7. Tests change one field to provoke the refusal they test.
   *
   * @param key the API key to present, such as {@link #ALICE_KEY}
   * @return a builder, not yet built
   */
  public static EditRequest.Builder request(String key) {
    return EditRequest.builder().apiKey(key).clientAddress(ADDRESS).prompt(PROMPT)
        .image(new byte[] {1, 2, 3, 4}).size(64, 64).steps(2).seed(7);
  }

  /** What the engine does on one call. */
  @FunctionalInterface
  public interface Behaviour {
    /**
     * Answers one engine call, or fails it as the test chooses: an {@link dev.f2p.core.spi.EngineException}
     * or a runtime exception goes to the pipeline as it is, a checked one wrapped in an
     * {@link IllegalStateException}.
     *
     * @param request what the pipeline asked the engine for
     * @return the image the engine returns
     * @throws Exception to make the engine call fail
     */
    GeneratedImage run(EngineRequest request) throws Exception;
  }

  /** An engine that runs the behaviour a test sets; counts calls. */
  public static final class ScriptedEngine implements ImageEditEngine {
    /** How many times {@link #edit} was called, whether it answered or failed. */
    public final AtomicInteger calls = new AtomicInteger();
    /** What the next calls do; {@link #blank} until a test sets another. Volatile: set from any thread. */
    public volatile Behaviour behaviour = ScriptedEngine::blank;

    /** An engine that answers every call with {@link #blank} until a test sets {@link #behaviour}. */
    public ScriptedEngine() {}

    /**
     * The default behaviour: a black image of the requested size, at once.
     *
     * @param r the engine request, whose width and height the image takes
     * @return the image, with model id {@code scripted-1}
     */
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
    /** Every event received, in order; safe to read and clear while the pipeline publishes. */
    public final List<SecurityEvent> events = new CopyOnWriteArrayList<>();

    /** A recorder with no events yet. */
    public Recorder() {}

    @Override
    public void onEvent(SecurityEvent event) {
      events.add(event);
    }
  }

  /**
   * A client builder with the given keys, guard and engine, no rate limit, a prompt filter that refuses
   * any prompt containing {@code forbidden} (category {@code TEST_CATEGORY}), and an image validator that
   * accepts any bytes as an 8x8 PNG. Tests add listeners or options, then build it and close it.
   *
   * @param keys the authenticator, usually a {@link Keys}
   * @param guard the resource guard under test, or one that admits everything
   * @param engine the engine, usually a {@link ScriptedEngine}
   * @return the builder, not yet built
   */
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
