package dev.f2p.spring.starter;

import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.PromptFilter;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** A new application with the starter: nothing but its YAML, and one policy of its own. */
@SpringBootApplication
class GuardedApplication {
  static final String HOST_RULE = "HOST_WORD";

  /** The host's own prompt filter replaces the configured {@code standard} one. */
  @Bean
  PromptFilter hostPromptFilter() {
    return (prompt, principal) -> prompt.contains("pineapple")
        ? Decision.reject(Rejection.of(ReasonCode.PROMPT_REJECTED, HOST_RULE, ReasonCode.PROMPT_REJECTED.safeMessage()))
        : Decision.allow(prompt);
  }
}
