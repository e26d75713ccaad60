package dev.f2p.core.internal;

import dev.f2p.core.spi.AuthenticatorProvider;
import dev.f2p.core.spi.AuthorizerProvider;
import dev.f2p.core.spi.ImageEditEngineProvider;
import dev.f2p.core.spi.ImageValidatorProvider;
import dev.f2p.core.spi.OutputPolicyProvider;
import dev.f2p.core.spi.PolicyProvider;
import dev.f2p.core.spi.PromptFilterProvider;
import dev.f2p.core.spi.RateLimiterProvider;
import dev.f2p.core.spi.ResourceGuardProvider;
import dev.f2p.core.spi.SecurityEventListenerProvider;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Setting-name patterns as {@link dev.f2p.core.spi.PolicyProvider#settingNames} declares them: segments
 * separated by dots, {@code *} one segment, a trailing {@code *} one or more. Stateless.
 */
public final class SettingNames {
  /** A misspelling further than this many edits from every declared name gets no suggestion. */
  private static final int MAX_SUGGESTION_DISTANCE = 3;

  /**
   * Each SPI's provider interface and the scope its provider's settings live in: a single policy's beside
   * its {@code type} key ({@code f2p.engine.}), a listed one's under its name ({@code f2p.authorizer.%s.},
   * {@code %s}: the provider's name). The single policies in the order the client builds them, the engine
   * last; the one table the settings check and the tests of the documentation and the metadata read.
   */
  public static final Map<Class<? extends PolicyProvider<?>>, String> PROVIDER_SCOPES;

  static {
    Map<Class<? extends PolicyProvider<?>>, String> m = new LinkedHashMap<>();
    m.put(AuthenticatorProvider.class, "f2p.authenticator.");
    m.put(RateLimiterProvider.class, "f2p.rate-limiter.");
    m.put(PromptFilterProvider.class, "f2p.prompt-filter.");
    m.put(ImageValidatorProvider.class, "f2p.image-validator.");
    m.put(OutputPolicyProvider.class, "f2p.output-policy.");
    // Last: loading a model takes seconds, and nothing else should be found wrong after it...
    m.put(ImageEditEngineProvider.class, "f2p.engine.");
    // ...but the resource guard, which is built from the engine's declared capacity (one owner of it).
    m.put(ResourceGuardProvider.class, "f2p.resource-guard.");
    m.put(AuthorizerProvider.class, "f2p.authorizer.%s.");
    m.put(SecurityEventListenerProvider.class, "f2p.listener.%s.");
    PROVIDER_SCOPES = Collections.unmodifiableMap(m);
  }

  private SettingNames() {}

  /**
   * The full pattern of a declared name.
   *
   * @param prefix the provider's scope, such as {@code f2p.engine.}
   * @param pattern a declared name; one starting with {@code f2p.} is already full
   * @return the full pattern
   */
  public static String absolute(String prefix, String pattern) {
    return pattern.startsWith("f2p.") ? pattern : prefix + pattern;
  }

  /**
   * Whether a full setting name matches a full pattern.
   *
   * @param pattern such as {@code f2p.rate-limiter.limits.*}
   * @param name such as {@code f2p.rate-limiter.limits.USER}
   * @return whether it matches
   */
  public static boolean matches(String pattern, String name) {
    String[] p = pattern.split("\\.", -1);
    String[] n = name.split("\\.", -1);
    for (int i = 0; i < p.length; i++) {
      if (i >= n.length) {
        return false;
      }
      if (p[i].equals("*")) {
        if (n[i].isEmpty()) {
          return false;
        }
        if (i == p.length - 1) {
          return true;
        }
      } else if (!p[i].equals(n[i])) {
        return false;
      }
    }
    return p.length == n.length;
  }

  /**
   * Whether any of the patterns matches the name.
   *
   * @param patterns full patterns
   * @param name a full setting name
   * @return whether one matches
   */
  public static boolean matchesAny(Collection<String> patterns, String name) {
    return patterns.stream().anyMatch(p -> matches(p, name));
  }

  /**
   * The declared name nearest to a name no pattern matches, with the unknown name's own segments in the
   * pattern's wildcards: {@code f2p.rate-limiter.limit.USER} gives {@code f2p.rate-limiter.limits.USER}.
   *
   * @param patterns full patterns
   * @param unknown the name that matched none
   * @return the nearest name within a few edits, if any
   */
  public static Optional<String> nearest(Collection<String> patterns, String unknown) {
    String best = null;
    int bestDistance = MAX_SUGGESTION_DISTANCE + 1;
    for (String pattern : patterns.stream().sorted().toList()) {
      String candidate = instantiate(pattern, unknown);
      int d = distance(candidate, unknown);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  private static String instantiate(String pattern, String name) {
    String[] p = pattern.split("\\.", -1);
    String[] n = name.split("\\.", -1);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < p.length; i++) {
      if (i > 0) {
        out.append('.');
      }
      if (!p[i].equals("*") || i >= n.length) {
        out.append(p[i]);
      } else if (i == p.length - 1) {
        out.append(String.join(".", java.util.Arrays.copyOfRange(n, i, n.length)));
      } else {
        out.append(n[i]);
      }
    }
    return out.toString();
  }

  /** Levenshtein distance; names are short (under a hundred characters), so the quadratic table is fine. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
