package dev.f2p.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.f2p.core.F2pConfigurationException;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.ImageEditEngineProvider;
import dev.f2p.core.spi.PolicyProviders;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.engine.djl.BundleVerificationException.Problem;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A bundle that carries a signature is verified or refused; loading it unchecked is explicit and loud. */
class SignatureFailsClosedTest {
  @TempDir Path tmp;
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger verifierLog = (Logger) LoggerFactory.getLogger(BundleVerifier.class);

  @BeforeEach
  void captureLog() {
    log.start();
    verifierLog.addAppender(log);
  }

  @AfterEach
  void releaseLog() {
    verifierLog.detachAppender(log);
  }

  @Test
  void aSignedBundleWithNoTrustedKeyIsRefused() throws Exception {
    Path bundle = TestBundles.copy(TestBundles.SINGLE_PASS, tmp);
    assertThatThrownBy(() -> BundleVerifier.builder().build().verify(bundle))
        .isInstanceOfSatisfying(BundleVerificationException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.NO_TRUSTED_KEY))
        .hasMessageContaining("requireSignature(false)").hasMessageContaining("f2p.engine.trusted-keys");
  }

  @Test
  void loadingASignedBundleUncheckedIsAnExplicitChoiceLoggedAtWarn() throws Exception {
    Path bundle = TestBundles.copy(TestBundles.SINGLE_PASS, tmp);
    VerifiedBundle v = BundleVerifier.builder().requireSignature(false).build().verify(bundle);
    assertThat(v.signerFingerprint()).isEmpty();
    assertThat(log.list).anySatisfy(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.WARN);
      assertThat(e.getFormattedMessage()).contains("signature NOT checked");
    });
  }

  @Test
  void aVerifiedSignatureLogsNoWarning() throws Exception {
    Path bundle = TestBundles.copy(TestBundles.SINGLE_PASS, tmp);
    assertThat(BundleVerifier.builder().trustedKey(TestBundles.PUBLIC_KEY).build().verify(bundle).signerFingerprint())
        .isPresent();
    assertThat(log.list).noneSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.WARN));
  }

  @Test
  void aMisspeltTrustedKeySettingFailsTheBuildInsteadOfTurningTheCheckOff() {
    Map<String, String> s = engineSettings();
    s.put("f2p.engine.trusted-key", TestBundles.PUBLIC_KEY.toString());
    long threadsBefore = monitorThreads();
    assertThatThrownBy(() -> ImageEditClient.builder().configure(s).build())
        .isInstanceOfSatisfying(F2pConfigurationException.class,
            e -> assertThat(e.setting()).contains("f2p.engine.trusted-key"))
        .hasMessage("unknown setting f2p.engine.trusted-key; did you mean f2p.engine.trusted-keys?");
    assertThat(monitorThreads()).isEqualTo(threadsBefore);
  }

  @Test
  void fromSettingsASignedBundleWithoutKeysIsRefusedAsAConfigurationError() {
    PolicySettings settings = PolicySettings.of(engineSettings()).scope("f2p.engine");
    assertThatThrownBy(() -> PolicyProviders.create(ImageEditEngineProvider.class, "djl", settings))
        .isInstanceOfSatisfying(F2pConfigurationException.class, e -> {
          assertThat(e.setting()).contains("f2p.engine");
          assertThat(e.getCause()).isInstanceOfSatisfying(BundleVerificationException.class,
              b -> assertThat(b.problem()).isEqualTo(Problem.NO_TRUSTED_KEY));
        });
  }

  @Test
  void fromSettingsRequireSignatureFalseLoadsItUnchecked() throws Exception {
    Map<String, String> s = engineSettings();
    s.put("f2p.engine.require-signature", "false");
    PolicySettings settings = PolicySettings.of(s).scope("f2p.engine");
    try (ImageEditEngine engine = PolicyProviders.create(ImageEditEngineProvider.class, "djl", settings)) {
      assertThat(engine.isAvailable()).isTrue();
    }
    assertThat(log.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("signature NOT checked"));
  }

  private Map<String, String> engineSettings() {
    Map<String, String> s = new HashMap<>();
    s.put("f2p.engine.type", "djl");
    s.put("f2p.engine.bundle", TestBundles.SINGLE_PASS.toString());
    s.put("f2p.engine.device", "cpu");
    s.put("f2p.engine.predictors-per-device", "1");
    return s;
  }

  private static long monitorThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("f2p-bundle-integrity-")).count();
  }
}
