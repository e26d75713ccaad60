package dev.f2p.engine.djl.internal;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Prompt to a fixed number of token ids, padded with 0 and truncated: UTF-8 bytes (ids 1..256) or a
 * Hugging Face tokenizer. Thread-safe (the tokenizer is).
 */
public final class PromptEncoder implements AutoCloseable {
  private final int maxTokens;
  private final Optional<HuggingFaceTokenizer> tokenizer;

  public PromptEncoder(int maxTokens, Optional<HuggingFaceTokenizer> tokenizer) {
    this.maxTokens = maxTokens;
    this.tokenizer = tokenizer;
  }

  public long[] encode(String prompt) {
    long[] ids = new long[maxTokens];
    if (tokenizer.isPresent()) {
      Encoding e = tokenizer.get().encode(prompt, false, false);
      long[] raw = e.getIds();
      System.arraycopy(raw, 0, ids, 0, Math.min(raw.length, maxTokens));
    } else {
      byte[] bytes = prompt.getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < Math.min(bytes.length, maxTokens); i++) {
        ids[i] = (bytes[i] & 0xff) + 1L;
      }
    }
    return ids;
  }

  public int maxTokens() {
    return maxTokens;
  }

  @Override
  public void close() {
    tokenizer.ifPresent(HuggingFaceTokenizer::close);
  }

  @Override
  public String toString() {
    return "PromptEncoder" + Arrays.asList(maxTokens, tokenizer.isPresent() ? "tokenizer" : "utf8-bytes");
  }
}
