package dev.f2p.security.prompt;

import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.spi.PromptFilterProvider;
import java.nio.file.Path;

/**
 * Provides {@link StandardPromptFilter} under the name {@code standard}. Settings (all optional):
 * <ul>
 *   <li>{@code max-chars}: default {@value StandardPromptFilter#DEFAULT_MAX_CHARS}
 *   <li>{@code max-bytes}: UTF-8 bytes, default {@value StandardPromptFilter#DEFAULT_MAX_BYTES}
 *   <li>{@code strip-characters}: {@code true} (default) removes control characters and {@code <>{}};
 *       {@code false} refuses prompts holding them
 *   <li>{@code blocklist.files}: comma list of block list files ({@code term<TAB>CATEGORY} lines, UTF-8)
 *   <li>{@code replace-builtin}: {@code true} uses only those files, without the built-in lists; default
 *       {@code false}
 * </ul>
 * A moderation classifier is code, not a setting: use {@link StandardPromptFilter.Builder}. Stateless and
 * thread-safe.
 */
public final class StandardPromptFilterProvider implements PromptFilterProvider {
  /** The name hosts select this filter by. */
  public static final String NAME = "standard";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public java.util.Set<String> settingNames(PolicySettings settings) {
    return java.util.Set.of("max-chars", "max-bytes", "strip-characters", "replace-builtin", "blocklist.files");
  }

  @Override
  public PromptFilter create(PolicySettings settings) {
    StandardPromptFilter.Builder b = StandardPromptFilter.builder()
        .maxChars(settings.getInt("max-chars", StandardPromptFilter.DEFAULT_MAX_CHARS))
        .maxBytes(settings.getInt("max-bytes", StandardPromptFilter.DEFAULT_MAX_BYTES))
        .stripCharacters(settings.getBoolean("strip-characters", true));
    if (settings.getBoolean("replace-builtin", false)) {
      if (settings.getList("blocklist.files").isEmpty()) {
        throw new IllegalArgumentException(settings.fullName("replace-builtin")
            + " is true but " + settings.fullName("blocklist.files") + " names no file");
      }
      b.replaceBuiltInLists();
    }
    for (String file : settings.getList("blocklist.files")) {
      b.addBlockList(Path.of(file));
    }
    try {
      return b.build();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(settings.fullName("blocklist.files") + ": " + e.getMessage(), e);
    }
  }
}
