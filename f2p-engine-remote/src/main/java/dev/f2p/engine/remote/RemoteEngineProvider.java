package dev.f2p.engine.remote;

import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.ImageEditEngineProvider;
import dev.f2p.core.spi.PolicySettings;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Provider {@code remote}: a {@link RemoteImageEditEngine} from settings under {@code f2p.engine.}:
 *
 * <ul>
 *   <li>{@code protocol}: {@code openai}, {@code oip-rest} or {@code oip-grpc} (required)
 *   <li>{@code endpoints}: comma list of base addresses, each optionally {@code *capacity}, such as
 *       {@code https://gpu-1:8000*4,https://gpu-2:8000*4} (required; capacity 1 when absent)
 *   <li>{@code model}: the model name the servers must serve (required); {@code model-version}: the OIP
 *       version to pin
 *   <li>{@code trusted-ca}: PEM file of the only CA trusted; {@code client-certificate} and {@code client-key}:
 *       PEM files for mTLS (key PKCS#8, mode 600)
 *   <li>{@code bearer-token-env} or {@code bearer-token-file}: where the bearer token is (never the token)
 *   <li>{@code allow-plaintext-loopback}: allow {@code http} on loopback; default {@code false}
 *   <li>{@code call-timeout}, {@code connect-timeout}, {@code health-interval}, {@code probe-timeout},
 *       {@code breaker-open-for}, {@code overloaded-retry-after}: durations such as {@code 2s}
 *   <li>{@code breaker-threshold}, {@code max-answer-bytes}, {@code io-threads}: numbers
 *   <li>{@code binary-tensors}: OIP REST with Triton's binary extension; default {@code true}
 * </ul>
 *
 * <p>Defaults are those of {@link RemoteEngineConfig}. The endpoints' capacities are the engine's declared
 * capacity ({@link RemoteImageEditEngine#capacityPlan()}): the client builds the resource guard from it after
 * the engine ({@code f2p.resource-guard.type=standard}, or the default guard), one device per endpoint with
 * its capacity, so the guard's slots are the endpoints' sum; setting the guard's own {@code devices} or
 * {@code slots-per-device} beside it fails the build. The engine is also registered as the shared object
 * {@link #SHARED_KEY}, so a metrics listener built from the same settings reaches its endpoints.
 */
public final class RemoteEngineProvider implements ImageEditEngineProvider {

  @Override
  public String name() {
    return "remote";
  }

  @Override
  public Set<String> settingNames(PolicySettings settings) {
    return Set.of("protocol", "endpoints", "model", "model-version", "trusted-ca", "client-certificate",
        "client-key", "bearer-token-env", "bearer-token-file", "allow-plaintext-loopback", "call-timeout",
        "connect-timeout", "health-interval", "probe-timeout", "breaker-threshold", "breaker-open-for",
        "max-answer-bytes", "overloaded-retry-after", "binary-tensors", "io-threads");
  }

  @Override
  public ImageEditEngine create(PolicySettings settings) throws Exception {
    RemoteEngineConfig.Builder b = RemoteImageEditEngine.builder()
        .protocol(Protocol.fromSetting(settings.require("protocol")))
        .model(settings.require("model"));
    if (settings.getList("endpoints").isEmpty()) {
      throw new IllegalArgumentException("missing setting " + settings.fullName("endpoints"));
    }
    for (String e : settings.getList("endpoints")) {
      try {
        b.endpoint(RemoteEndpoint.parse(e));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(settings.fullName("endpoints") + ": " + ex.getMessage(), ex);
      }
    }
    settings.get("model-version").ifPresent(b::modelVersion);
    settings.getPath("trusted-ca").ifPresent(b::trustedCa);
    if (settings.get("client-certificate").isPresent() != settings.get("client-key").isPresent()) {
      throw new IllegalArgumentException("set both " + settings.fullName("client-certificate") + " and "
          + settings.fullName("client-key") + ", or neither");
    }
    if (settings.get("client-certificate").isPresent()) {
      b.clientCertificate(settings.getPath("client-certificate").orElseThrow(),
          settings.getPath("client-key").orElseThrow());
    }
    if (settings.get("bearer-token-env").isPresent() && settings.get("bearer-token-file").isPresent()) {
      throw new IllegalArgumentException("set one of " + settings.fullName("bearer-token-env") + " and "
          + settings.fullName("bearer-token-file") + ", not both");
    }
    settings.get("bearer-token-env").ifPresent(b::bearerTokenFromEnvironment);
    settings.getPath("bearer-token-file").ifPresent(b::bearerTokenFromFile);
    b.allowPlaintextLoopback(settings.getBoolean("allow-plaintext-loopback", false));
    b.callTimeout(settings.getDuration("call-timeout",
        java.time.Duration.ofSeconds(RemoteEngineConfig.DEFAULT_CALL_TIMEOUT_SECONDS)));
    b.connectTimeout(settings.getDuration("connect-timeout", RemoteEngineConfig.DEFAULT_CONNECT_TIMEOUT));
    b.healthInterval(settings.getDuration("health-interval", RemoteEngineConfig.DEFAULT_HEALTH_INTERVAL));
    b.probeTimeout(settings.getDuration("probe-timeout", RemoteEngineConfig.DEFAULT_PROBE_TIMEOUT));
    b.breakerThreshold(settings.getInt("breaker-threshold", RemoteEngineConfig.DEFAULT_BREAKER_THRESHOLD));
    b.breakerOpenFor(settings.getDuration("breaker-open-for", RemoteEngineConfig.DEFAULT_BREAKER_OPEN_FOR));
    b.maxAnswerBytes(settings.getLong("max-answer-bytes", RemoteEngineConfig.DEFAULT_MAX_ANSWER_BYTES));
    b.overloadedRetryAfter(settings.getDuration("overloaded-retry-after",
        RemoteEngineConfig.DEFAULT_OVERLOADED_RETRY_AFTER));
    b.binaryTensors(settings.getBoolean("binary-tensors", true));
    b.ioThreads(settings.getInt("io-threads", RemoteEngineConfig.DEFAULT_IO_THREADS));
    RemoteImageEditEngine engine = b.build();
    // Published like the DJL engine, so metrics and health built from the same settings reach its endpoints.
    @SuppressWarnings("unchecked")
    AtomicReference<Object> published =
        settings.shared(ImageEditEngineProvider.SHARED_KEY, AtomicReference.class, AtomicReference::new);
    published.set(engine);
    return engine;
  }
}
