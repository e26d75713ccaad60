package dev.f2p.security.prompt;

import dev.f2p.core.spi.PolicyProvider;

/**
 * Builds a {@link ModerationClassifier} by name, so that {@code f2p.prompt-filter.classifier.type=NAME} selects
 * one from settings (its own settings under {@code f2p.prompt-filter.classifier.}). Registered in
 * {@code META-INF/services/dev.f2p.security.prompt.ModerationClassifierProvider}; {@code f2p-moderation}
 * provides {@code chat-guard} and {@code openai-moderation}.
 */
public interface ModerationClassifierProvider extends PolicyProvider<ModerationClassifier> {}
