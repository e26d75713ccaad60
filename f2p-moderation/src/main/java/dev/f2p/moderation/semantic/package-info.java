/**
 * Semantic second opinions for the prompt filter, as {@link dev.f2p.security.prompt.ModerationClassifier}
 * adapters: {@link dev.f2p.moderation.semantic.ChatGuardClassifier} for a safety model (Qwen3Guard-Gen,
 * Llama Guard 4) behind an OpenAI-compatible chat-completions endpoint, and
 * {@link dev.f2p.moderation.semantic.OpenAiModerationClassifier} for the OpenAI moderation API. Both are
 * also selectable from settings ({@code f2p.prompt-filter.classifier.type=chat-guard} or
 * {@code openai-moderation}) through their providers.
 */
@NullMarked
package dev.f2p.moderation.semantic;

import org.jspecify.annotations.NullMarked;
