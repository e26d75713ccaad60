package dev.f2p.spring.autoconfigure;

import dev.f2p.core.Outcome;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.StageObserver;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Locale;
import java.util.Optional;

/**
 * One Micrometer {@link Observation} per pipeline stage, named {@value #NAME}, which Boot turns into a
 * span (OpenTelemetry or Brave, whichever tracing bridge the application has) and a timer. Tagged with
 * the stage, the outcome and the reason code only: what the library hands a {@link StageObserver}
 * carries no key, prompt, image or address, so no span can. While a stage runs its observation is the
 * current one, so log lines written meanwhile carry its trace id; the request id is in the MDC while the
 * security log writes (the library puts it there). Thread-safe.
 */
final class ObservationStageObserver implements StageObserver {
  /** The observation's name; the span's is {@code f2p <stage>}, such as {@code f2p prompt-filter}. */
  static final String NAME = "f2p.stage";
  static final String STAGE = "f2p.stage";
  static final String OUTCOME = "f2p.outcome";
  static final String REASON = "f2p.reason";

  private final ObservationRegistry registry;

  ObservationStageObserver(ObservationRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Span start(Stage stage, String requestId) {
    Observation observation = Observation.createNotStarted(NAME, registry)
        .contextualName("f2p " + stage.name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .lowCardinalityKeyValue(STAGE, stage.name())
        .start();
    Observation.Scope scope = observation.openScope();
    return (Outcome outcome, Optional<ReasonCode> reason) -> {
      try {
        observation.lowCardinalityKeyValues(KeyValues.of(OUTCOME, outcome.name(),
            REASON, reason.map(ReasonCode::name).orElse("NONE")));
      } finally {
        scope.close();
        observation.stop();
      }
    };
  }
}
