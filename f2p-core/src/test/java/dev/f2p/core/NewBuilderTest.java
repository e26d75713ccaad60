package dev.f2p.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.spi.Decision;
import dev.f2p.core.testing.Fixtures;
import dev.f2p.core.testing.Fixtures.CountingGuard;
import dev.f2p.core.testing.Fixtures.InvertingEngine;
import dev.f2p.testing.TestClients.Recorder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code newBuilder()} derives a variant in which every setting can be replaced, leaving the original. */
class NewBuilderTest {
  private static final Rejection NO = Rejection.of(ReasonCode.FORBIDDEN, "DERIVED", "No.");

  private static <T> Decision<T> no() {
    return Decision.reject(NO);
  }

  /** One setting: how the derived builder replaces it, and what the derived client then does differently. */
  record Case(String setting, UnaryOperator<ImageEditClient.Builder> replace,
      BiConsumer<ImageEditClient, Recorder> derivedBehaves) {
    @Override
    public String toString() {
      return setting;
    }
  }

  private static final Recorder DERIVED_EVENTS = new Recorder();
  private static final AtomicInteger DERIVED_EXECUTIONS = new AtomicInteger();
  private static final String DERIVED_KEY_TEXT = "a derived client's fingerprint key";
  private static final byte[] DERIVED_KEY = DERIVED_KEY_TEXT.getBytes(StandardCharsets.UTF_8);

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static Stream<Arguments> everySetting() {
    BiConsumer<ImageEditClient, Recorder> refused = (c, e) ->
        assertThat(c.edit(Fixtures.request().build())).isInstanceOfSatisfying(EditResult.Rejected.class,
            r -> assertThat(r.rejection().detail()).isEqualTo("DERIVED"));
    Instant fixed = Instant.parse("2030-01-01T00:00:00Z");
    AtomicLong ticks = new AtomicLong();
    Executor counting = r -> {
      DERIVED_EXECUTIONS.incrementAndGet();
      r.run();
    };
    return Stream.of(
        new Case("authenticator", b -> b.authenticator((key, address) -> no()), refused),
        new Case("authorizers (replaced)", b -> b.authorizers(List.of((p, r) -> no())), refused),
        new Case("authorizers (added)", b -> b.addAuthorizer((p, r) -> no()), refused),
        new Case("rateLimiter", b -> b.rateLimiter((p, a) -> no()), refused),
        new Case("promptFilter", b -> b.promptFilter((prompt, p) -> no()), refused),
        new Case("imageValidator", b -> b.imageValidator((bytes, p) -> no()), refused),
        new Case("resourceGuard", b -> b.resourceGuard((p, r) -> no()), refused),
        new Case("outputPolicy", b -> b.outputPolicy((image, context) -> no()), refused),
        new Case("engine", b -> b.engine(new InvertingEngine() {
          @Override
          public String modelId() {
            return "derived-2";
          }
        }), (c, e) -> assertThat(c.modelId()).isEqualTo("derived-2")),
        new Case("listeners (replaced)", b -> b.listeners(List.of(DERIVED_EVENTS)), (c, original) -> {
          c.edit(Fixtures.request().build());
          assertThat(DERIVED_EVENTS.events).isNotEmpty();
          assertThat(original.events).isEmpty();
        }),
        new Case("listeners (added)", b -> b.addListener(DERIVED_EVENTS), (c, original) -> {
          c.edit(Fixtures.request().build());
          assertThat(DERIVED_EVENTS.events).isNotEmpty();
          assertThat(original.events).isNotEmpty();
        }),
        new Case("executor", b -> b.executor(counting), (c, e) -> {
          assertThat(c.editAsync(Fixtures.request().build()).join().isSuccess()).isTrue();
          assertThat(DERIVED_EXECUTIONS).hasValue(1);
        }),
        new Case("clock", b -> b.clock(Clock.fixed(fixed, ZoneOffset.UTC)), (c, original) -> {
          c.edit(Fixtures.request().build());
          assertThat(original.events).allSatisfy(ev -> assertThat(ev.timestamp()).isEqualTo(fixed));
        }),
        new Case("ticker", b -> b.ticker(() -> ticks.addAndGet(Duration.ofSeconds(1).toNanos())), (c, original) -> {
          c.edit(Fixtures.request().build());
          assertThat(original.events).anySatisfy(ev -> assertThat(ev.latency()).isGreaterThanOrEqualTo(Duration.ofSeconds(1)));
        }),
        new Case("fingerprintKey", b -> b.fingerprintKey(DERIVED_KEY), (c, original) -> {
          EditRequest request = Fixtures.request().build();
          c.edit(request);
          String expected = "hmac-sha256:" + HexFormat.of().formatHex(hmac(DERIVED_KEY, request.image()));
          assertThat(original.events).filteredOn(ev -> ev.imageFingerprint().isPresent()).isNotEmpty()
              .allSatisfy(ev -> assertThat(ev.imageFingerprint()).hasValue(expected));
        }),
        new Case("fingerprintKeyEnv", b -> b.environment(n -> n.equals("DERIVED_KEY") ? DERIVED_KEY_TEXT : null)
            .fingerprintKeyEnv("DERIVED_KEY"), (c, original) -> {
              EditRequest request = Fixtures.request().build();
              c.edit(request);
              String expected = "hmac-sha256:" + HexFormat.of().formatHex(hmac(DERIVED_KEY, request.image()));
              assertThat(original.events).filteredOn(ev -> ev.imageFingerprint().isPresent()).isNotEmpty()
                  .allSatisfy(ev -> assertThat(ev.imageFingerprint()).hasValue(expected));
            }),
        new Case("configure (settings)", b -> b.configure(Map.of("f2p.client-address.ipv6-prefix", "48")),
            (c, original) -> {
              // The derived client aggregates IPv6 callers to /48 (the original to the default /64).
              c.edit(Fixtures.request().clientAddress("2001:db8:1:2::1").build());
              assertThat(original.events).isNotEmpty()
                  .allSatisfy(ev -> assertThat(ev.clientAddress()).hasValue("2001:db8:1::/48"));
            })
    ).map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everySetting")
  void aDerivedBuilderReplacesTheSettingAndLeavesTheOriginalAlone(Case c) {
    DERIVED_EVENTS.events.clear();
    DERIVED_EXECUTIONS.set(0);
    InvertingEngine engine = new InvertingEngine();
    Recorder originalEvents = new Recorder();
    try (ImageEditClient original = Fixtures.client(engine, new CountingGuard(), originalEvents).build()) {
      ImageEditClient.Builder derivedBuilder = c.replace().apply(original.newBuilder());
      try (ImageEditClient derived = derivedBuilder.build()) {
        c.derivedBehaves().accept(derived, originalEvents);
        originalEvents.events.clear();
        DERIVED_EVENTS.events.clear();
        assertThat(original.edit(Fixtures.request().build()).isSuccess()).isTrue();
        assertThat(original.modelId()).isEqualTo("inverter-1");
        assertThat(DERIVED_EVENTS.events).isEmpty();
      }
      // Closing the derived client leaves the shared engine to the original.
      assertThat(original.isEngineAvailable()).isTrue();
      assertThat(original.edit(Fixtures.request().build()).isSuccess()).isTrue();
    }
  }

  @org.junit.jupiter.api.Test
  void buildLeavesItsBuilderAsItWas() {
    ImageEditClient.Builder b = Fixtures.client(new InvertingEngine(), new CountingGuard(), new Recorder());
    b.build().close();
    // build() put no default output policy or authorizer into the builder: both can still be given.
    try (ImageEditClient second = b.outputPolicy((i, c) -> no()).addAuthorizer((p, r) -> Decision.allow(p)).build()) {
      assertThat(second.edit(Fixtures.request().build())).isInstanceOfSatisfying(EditResult.Rejected.class,
          r -> assertThat(r.rejection().detail()).isEqualTo("DERIVED"));
    }
  }

  @org.junit.jupiter.api.Test
  void aSettingGivenTwiceToOneBuilderIsStillAnError() {
    try (ImageEditClient original = Fixtures.client(new InvertingEngine(), new CountingGuard(),
        new Recorder()).build()) {
      ImageEditClient.Builder b = original.newBuilder().outputPolicy((i, c) -> no());
      assertThatThrownBy(() -> b.outputPolicy((i, c) -> no()))
          .isInstanceOf(IllegalStateException.class).hasMessage("outputPolicy was already set");
    }
  }

  @org.junit.jupiter.api.Test
  void onlyTheOriginalClosesTheSharedEngine() {
    AtomicInteger closes = new AtomicInteger();
    InvertingEngine engine = new InvertingEngine() {
      @Override
      public void close() {
        closes.incrementAndGet();
      }
    };
    ImageEditClient original = Fixtures.client(engine, new CountingGuard(), new Recorder()).build();
    original.newBuilder().promptFilter((p, x) -> no()).build().close();
    assertThat(closes).hasValue(0);
    original.close();
    assertThat(closes).hasValue(1);
  }

  /** An engine that raises events of its own, as the DJL engine's integrity monitor does. */
  static final class PublishingEngine extends InvertingEngine implements dev.f2p.core.spi.SecurityEventSource {
    final java.util.List<dev.f2p.core.spi.SecurityEventPublisher> attached = new java.util.ArrayList<>();

    @Override
    public void attach(dev.f2p.core.spi.SecurityEventPublisher publisher) {
      attached.add(publisher);
    }
  }

  @org.junit.jupiter.api.Test
  void aSharedEngineKeepsPublishingToTheClientThatOwnsIt() {
    PublishingEngine engine = new PublishingEngine();
    try (ImageEditClient original = Fixtures.client(engine, new CountingGuard(), new Recorder()).build();
        ImageEditClient derived = original.newBuilder().addListener(new Recorder()).build()) {
      assertThat(engine.attached).singleElement().isSameAs(original.events());
      assertThat(derived.events()).isNotSameAs(original.events());
    }
  }
}
