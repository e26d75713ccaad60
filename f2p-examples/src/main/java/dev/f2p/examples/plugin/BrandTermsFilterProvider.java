package dev.f2p.examples.plugin;

import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.spi.PromptFilterProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Makes {@link BrandTermsFilter} selectable by name: {@code f2p.prompt-filter.type=brand-terms}. Registered in
 * {@code META-INF/services/dev.f2p.core.spi.PromptFilterProvider}. Settings (under
 * {@code f2p.prompt-filter.}):
 * <ul>
 *   <li>{@code terms}: a comma-separated list of terms, and/or</li>
 *   <li>{@code terms-file}: a UTF-8 file with one term a line ({@code #} starts a comment).</li>
 * </ul>
 * One of the two is required; a filter with no terms fails the build rather than letting everything by.
 * Stateless and thread-safe.
 */
public final class BrandTermsFilterProvider implements PromptFilterProvider {
  /** At most this many terms are read from a file: a wrong path must not load a disk into memory. */
  static final int MAX_TERMS = 10_000;

  @Override
  public String name() {
    return "brand-terms";
  }

  /** Every setting read here: the client refuses any other name under {@code f2p.prompt-filter.}. */
  @Override
  public Set<String> settingNames(PolicySettings settings) {
    return Set.of("terms", "terms-file");
  }

  @Override
  public PromptFilter create(PolicySettings settings) throws Exception {
    List<String> terms = new ArrayList<>(settings.getList("terms"));
    if (settings.get("terms-file").isPresent()) {
      Path file = settings.getPath("terms-file").orElseThrow();
      try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
        lines.map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).limit(MAX_TERMS + 1L)
            .forEach(terms::add);
      }
      if (terms.size() > MAX_TERMS) {
        throw new IllegalArgumentException(settings.fullName("terms-file") + " has more than " + MAX_TERMS
            + " terms");
      }
    }
    if (terms.isEmpty()) {
      throw new IllegalArgumentException("set " + settings.fullName("terms") + " or "
          + settings.fullName("terms-file"));
    }
    return new BrandTermsFilter(terms);
  }
}
