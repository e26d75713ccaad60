package dev.f2p.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.ReasonCode;
import dev.f2p.core.spi.EngineException;
import dev.f2p.core.spi.EngineRequest;
import dev.f2p.core.spi.ProgressListener;
import java.awt.image.BufferedImage;
import java.time.Clock;
import java.time.Duration;

/** Engine requests for the tests: a small drawn input, the size asked for, a deadline from now. */
final class Requests {
  private Requests() {}

  static EngineRequest edit(int width, int height, Duration deadline) {
    BufferedImage input = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        input.setRGB(x, y, (x * 6) << 16 | (y * 8) << 8 | 0x40);
      }
    }
    Clock clock = Clock.systemUTC();
    return new EngineRequest("req-1", input, "a portrait in soft light", "blurry", width, height, 12, 4.5, 42L,
        clock.instant().plus(deadline), clock, ProgressListener.NONE);
  }

  /** Waits (at most 10 s) for the engine's first health checks to pass: the first connection on a busy machine can be slow. */
  static void awaitAvailable(RemoteImageEditEngine engine) {
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!engine.isAvailable() && System.nanoTime() < until) {
      ModelServer.sleep(20);
    }
    if (!engine.isAvailable()) {
      throw new AssertionError("engine never became available: " + engine.endpointStatus());
    }
  }

  /** The same request as the guard's lease on {@code device} hands it to the engine. */
  static EngineRequest onDevice(EngineRequest r, java.util.OptionalInt device) {
    return new EngineRequest(r.requestId(), r.image(), r.prompt(), r.negativePrompt(), r.width(), r.height(),
        r.steps(), r.guidanceScale(), r.seed(), r.deadline(), r.clock(), r.progress(), device);
  }

  /**
   * The attack either REST protocol faces: a server that takes the request and holds its answer back, to hold
   * the engine's slot. The call must end as TIMEOUT at its deadline, the server must see the client hang up,
   * and the interrupt the engine cuts with must not stay on the caller's thread (a host's thread).
   */
  static void assertASlowAnswerEndsAtTheDeadline(RemoteImageEditEngine engine, ModelServer server) throws Exception {
    server.fault("slow", 5);
    int before = server.stats().get("disconnects").getAsInt();
    long start = System.nanoTime();
    assertThatThrownBy(() -> engine.edit(edit(64, 48, Duration.ofMillis(400))))
        .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.reason()).isEqualTo(ReasonCode.TIMEOUT));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(Thread.currentThread().isInterrupted()).as("the cut left no interrupt on the caller's thread").isFalse();
    long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (server.stats().get("disconnects").getAsInt() == before && System.nanoTime() < until) {
      ModelServer.sleep(20);
    }
    assertThat(server.stats().get("disconnects").getAsInt()).as("the server saw the client hang up").isGreaterThan(before);
  }

  static EngineRequest edit() {
    return edit(64, 48, Duration.ofSeconds(10));
  }
}
