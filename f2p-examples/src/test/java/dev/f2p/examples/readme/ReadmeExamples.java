package dev.f2p.examples.readme;

import dev.f2p.core.Admission;
import dev.f2p.core.AdmissionRequest;
import dev.f2p.core.EditRequest;
import dev.f2p.core.EditResult;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Rejection;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Authenticator;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.ImageValidator;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.spi.RateLimiter;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.core.spi.SecurityEventListener;
import dev.f2p.engine.djl.DjlImageEditEngine;
import dev.f2p.engine.djl.KeyProvider;
import dev.f2p.engine.remote.Protocol;
import dev.f2p.engine.remote.RemoteEndpoint;
import dev.f2p.engine.remote.RemoteImageEditEngine;
import dev.f2p.moderation.semantic.ChatGuardClassifier;
import dev.f2p.provenance.ProvenanceOutputPolicy;
import dev.f2p.redis.FailureMode;
import dev.f2p.redis.RedisCoordination;
import dev.f2p.security.auth.ApiKeyAuthenticator;
import dev.f2p.security.auth.ApiKeyStore;
import dev.f2p.security.auth.FileApiKeyStore;
import dev.f2p.security.auth.LockoutPolicy;
import dev.f2p.security.auth.RoleAuthorizer;
import dev.f2p.security.guard.StandardResourceGuard;
import dev.f2p.security.image.StandardImageValidator;
import dev.f2p.security.incident.IncidentControl;
import dev.f2p.security.log.Slf4jSecurityEventListener;
import dev.f2p.security.prompt.StandardPromptFilter;
import dev.f2p.security.ratelimit.TokenBucketRateLimiter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The README's Java examples, compiled here: {@code ReadmeCodeTest} fails when a README block is not a
 * region of this file (between {@code // README: name} and {@code // END README}) or a whole source file.
 */
final class ReadmeExamples {
  private ReadmeExamples() {}

  static void usingIt(Authenticator authenticator, RateLimiter rateLimiter, PromptFilter promptFilter,
      ImageValidator imageValidator, ResourceGuard resourceGuard, ImageEditEngine engine,
      SecurityEventListener securityLog, String headerValue, String remoteAddress, byte[] uploadedBytes,
      String prompt) {
    // README: using-it
    try (ImageEditClient client = ImageEditClient.builder()
            .authenticator(authenticator)      // who is calling
            .rateLimiter(rateLimiter)          // how often
            .promptFilter(promptFilter)        // what text
            .imageValidator(imageValidator)    // what bytes
            .resourceGuard(resourceGuard)      // is there room
            .engine(engine)                    // the model
            .addListener(securityLog)          // every decision
            .build()) {
        EditResult result = client.edit(EditRequest.builder()
            .apiKey(headerValue).clientAddress(remoteAddress)
            .image(uploadedBytes).prompt(prompt).size(512, 512).steps(20)
            .build());
        if (result instanceof EditResult.Success s) {
            respond(200, s.mediaType(), s.image());
        } else if (result instanceof EditResult.Rejected r) {
            respond(r.rejection().httpStatus(), r.rejection().message());  // safe to show; r.reason() for code
        }
    }
    // END README
  }

  static ImageEditClient everyPolicyInCode(byte[] watermarkKey) throws Exception {
    // README: every-policy-in-code
    ImageEditEngine engine = DjlImageEditEngine.builder()
        .bundle(Path.of("/opt/f2p/models/single-pass"))
        .trustedKey(Path.of("/etc/f2p/model-signing.pub.pem"))
        .predictorsPerDevice(1)                                                // the engine owns capacity
        .build();
    ImageEditClient client = ImageEditClient.builder()
        .authenticator(ApiKeyAuthenticator.builder()
            .store(FileApiKeyStore.open(Path.of("/etc/f2p/keys.properties")))   // KeysCommand writes it
            .build())
        .addAuthorizer(RoleAuthorizer.ofDefaults())                            // what each role may do
        .rateLimiter(TokenBucketRateLimiter.builder()
            .defaultLimits("10/minute")
            .roleLimits(Role.USER, "100/hour;1000/day")
            .addressLimits("100/minute")
            .build())
        .promptFilter(StandardPromptFilter.builder().maxChars(2000).build())
        .imageValidator(StandardImageValidator.builder().maxBytes(10 << 20).maxSide(4096).build())
        .resourceGuard(StandardResourceGuard.builder()
            .capacityPlan(engine.capacityPlan().orElseThrow())                // its devices x predictors
            .queue(16).maxWait(Duration.ofSeconds(10)).deadline(Duration.ofSeconds(30))
            .build())
        .engine(engine)
        .outputPolicy(ProvenanceOutputPolicy.builder().producer("My Service").watermarkKey(watermarkKey).build())
        .addListener(Slf4jSecurityEventListener.create())                      // needs an SLF4J binding
        .build();
    // END README
    return client;
  }

  static ImageEditClient fromAFile() {
    // README: from-a-file
    ImageEditClient client = ImageEditClient.builder()
        .configure(Path.of("/etc/f2p/f2p.properties"))   // checked: an unknown name fails the build
        .build();
    // END README
    return client;
  }

  static PromptFilter moderation(java.util.concurrent.Executor hostExecutor) throws Exception {
    // README: moderation
    PromptFilter filter = StandardPromptFilter.builder()
        .addBlockList(Path.of("/etc/f2p/terms.tsv"))
        .lowConfidence(StandardPromptFilter.LowConfidence.CLASSIFIER)
        .moderationClassifier(ChatGuardClassifier.builder().endpoint(URI.create("http://guard:8000/v1"))
            .model("Qwen/Qwen3Guard-Gen-4B").format(ChatGuardClassifier.Format.QWEN3_GUARD).build(),
            hostExecutor, Duration.ofSeconds(2))
        .build();
    // END README
    return filter;
  }

  static ImageEditEngine remoteEngine() throws Exception {
    // README: remote-engine
    ImageEditEngine engine = RemoteImageEditEngine.builder()
        .protocol(Protocol.OIP_GRPC)
        .endpoint(RemoteEndpoint.parse("https://gpu-1:8001*4"))   // capacity 4: never more in flight there
        .endpoint(RemoteEndpoint.parse("https://gpu-2:8001*4"))
        .model("qwen_image_edit_f2p").modelVersion("1")          // a server with another model is never used
        .trustedCa(Path.of("tls/ca.pem"))                           // the only CA trusted
        .clientCertificate(Path.of("tls/guard.pem"), Path.of("tls/guard.key"))   // mTLS
        .build();
    // END README
    return engine;
  }


  static ImageEditEngine engine() throws Exception {
    // README: engine
    ImageEditEngine engine = DjlImageEditEngine.builder()
        .bundle(Path.of("models/single-pass"))
        .trustedKey(Path.of("keys/model-signing.pub.pem"))   // an OMS v1.0 signature is then required
        .keyProvider(KeyProvider.fromEnvironment("F2P_BUNDLE_KEY"))   // only for encrypted components
        .integrityCheckEvery(Duration.ofMinutes(5))
        .build();   // verifies, decrypts in memory, loads, warms up; BundleVerificationException says what is wrong
    // END README
    return engine;
  }

  static ImageEditClient.Builder redis(String secret, ApiKeyStore keys) {
    char[] password = secret.toCharArray();
    // README: redis
    RedisCoordination redis = RedisCoordination.builder()
        .uri("rediss://redis.internal:6380").credentials("f2p", password)   // TLS, ACL user
        .failureMode(FailureMode.LOCAL_FALLBACK).instances(4)               // default FAIL_CLOSED
        .build();
    IncidentControl control = IncidentControl.builder().store(redis.incidentStore()).build();
    ImageEditClient.Builder builder = ImageEditClient.builder()
        .authenticator(ApiKeyAuthenticator.builder().store(keys)
            .lockoutStore(redis.lockoutStore(LockoutPolicy.ofDefaults())).build())
        .rateLimiter(redis.rateLimiter(limits -> limits.defaultLimits("10/minute")))
        .addAuthorizer(control);   // one object: before and after authentication, and containment
    // END README
    return builder;
  }

  /** What a servlet request offers before its body; stands in for {@code HttpServletRequest}. */
  interface HeadersFirst {
    String getHeader(String name);

    String getRemoteAddr();
  }

  static void admission(ImageEditClient client, HeadersFirst http, String requestId, byte[] imageBytes,
      String prompt) {
    // README: admission
    // headers: in a servlet filter, before anything reads request.getInputStream()
    Admission admission = client.admit(AdmissionRequest.builder()
        .apiKey(Objects.requireNonNullElse(http.getHeader("X-API-Key"), ""))
        .clientAddress(http.getRemoteAddr()).requestId(requestId)
        .build());                                   // optional: .size(w, h).steps(n) if the headers carry them
    if (!admission.isAdmitted()) {
        Rejection r = admission.rejection().orElseThrow();      // 401/403/429/503, events already published
        respond(r.httpStatus(), r.message());                   // no body byte read, no slot taken
        return;
    }
    // body: later, in the controller
    try (admission) {                                           // closes an admission whose body never came
        EditRequest request = admission.requestBuilder()        // key, address, request id as admitted
            .image(imageBytes).prompt(prompt).size(512, 512).steps(20).build();
        EditResult result = admission.edit(request);            // prompt, image, guard, engine, output
    }
    // END README
  }

  private static void respond(int status, String mediaType, byte[] body) {
    respond(status, mediaType + " " + body.length);
  }

  private static void respond(int status, String message) {
    System.out.println(status + " " + new String(message.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
  }
}
