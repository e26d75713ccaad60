package dev.f2p.core.internal;

import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.PolicyProvider;
import dev.f2p.core.spi.PolicyProviders;
import dev.f2p.core.spi.PolicySettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * What the decorating policies share (a check that wraps another policy of its kind, such as the {@code pdq}
 * and {@code nsfw} image validators and output policies): the delegate named by the {@code delegate.type} setting
 * with its own settings under {@code delegate.}, building the check and the delegate so that a failure
 * half-way closes what was built, and handing over to the delegate once the check passed. Stateless.
 */
public final class Decorators {
  /** The setting naming the decorated provider; its own settings go under {@code delegate.}. */
  public static final String DELEGATE = "delegate";
  /** The delegate's selector, beside its settings under {@code delegate.}. */
  public static final String DELEGATE_TYPE = DELEGATE + "." + PolicyProviders.TYPE;

  private Decorators() {}

  /**
   * The names a decorating provider reads: its own, {@code delegate.type}, and those of the delegate it names
   * under {@code delegate.}.
   *
   * @param type the provider type of decorator and delegate
   * @param self the decorator's provider name (never its own delegate)
   * @param own the decorator's own setting names
   * @param settings the settings, to find the delegate's name
   * @param <P> the provider type
   * @return the names
   */
  public static <P extends PolicyProvider<?>> Set<String> settingNames(Class<P> type, String self, Set<String> own,
      PolicySettings settings) {
    Set<String> names = new HashSet<>(own);
    names.add(DELEGATE_TYPE);
    settings.get(DELEGATE_TYPE).filter(n -> !n.equals(self))
        .ifPresent(n -> names.addAll(PolicyProviders.settingNames(type, n, settings, DELEGATE)));
    return names;
  }

  /**
   * Builds what a decorator checks with.
   *
   * @param <C> the check
   * @param <E> what building may throw
   */
  @FunctionalInterface
  public interface Check<C, E extends Exception> {
    /**
     * Builds the check.
     *
     * @param owned where to add what the decorator must close with itself
     * @return the check
     * @throws E when it cannot be built
     */
    C build(List<AutoCloseable> owned) throws E;
  }

  /**
   * Makes the decorator from its check, its delegate and what it owns.
   *
   * @param <C> the check
   * @param <T> the policy type
   * @param <D> the decorator
   */
  @FunctionalInterface
  public interface Wrap<C, T, D> {
    /**
     * Makes the decorator.
     *
     * @param check the check
     * @param delegate the decorated policy
     * @param owned what the decorator closes with itself: what the check needed, then the delegate
     * @return the decorator
     */
    D wrap(C check, T delegate, List<AutoCloseable> owned);
  }

  /**
   * Builds a decorator: the check first, then the delegate named by {@code delegate.type} from the settings under
   * {@code delegate.} ({@code fallback} when none is named), then the decorator owning both; if building
   * fails half-way, what was built is closed.
   *
   * @param type the provider type of decorator and delegate
   * @param self the decorator's provider name, refused as its own delegate
   * @param settings the decorator's settings
   * @param fallback the delegate when none is named (or a supplier that throws when one is required)
   * @param check builds the check
   * @param wrap makes the decorator
   * @param <T> the policy type
   * @param <P> the provider type
   * @param <C> the check
   * @param <D> the decorator
   * @param <E> what building the check may throw
   * @return the decorator
   * @throws E when the check cannot be built
   */
  public static <T, P extends PolicyProvider<T>, C, D, E extends Exception> D decorate(Class<P> type, String self,
      PolicySettings settings, Supplier<T> fallback, Check<C, E> check, Wrap<C, T, D> wrap) throws E {
    Optional<String> name = settings.get(DELEGATE_TYPE);
    if (name.isPresent() && name.get().equals(self)) {
      throw new IllegalArgumentException(settings.fullName(DELEGATE_TYPE) + " must name another provider than " + self);
    }
    List<AutoCloseable> owned = new ArrayList<>();
    C built = check.build(owned);
    try {
      T delegate = name.map(n -> PolicyProviders.create(type, n, settings.scope(DELEGATE))).orElseGet(fallback);
      if (delegate instanceof AutoCloseable c) {
        owned.add(c);
      }
      return wrap.wrap(built, delegate, owned);
    } catch (RuntimeException e) {
      closeAll(owned, org.slf4j.LoggerFactory.getLogger(Decorators.class));
      throw e;
    }
  }

  /**
   * Hands over to the next policy once a check passed: a next policy that returns {@code null} is a
   * refusal ({@code reason} / {@code INTERNAL_ERROR}, logged at ERROR); otherwise its decision, with the
   * check's attributes added (they win over the next policy's of the same name, which cannot forge them).
   *
   * @param next the next policy's decision
   * @param attributes the check's event attributes
   * @param reason the reason of a refusal for a {@code null} decision
   * @param log where to report a {@code null} decision
   * @param label what was checked, for the log
   * @param <T> the decision's value
   * @return the decision
   */
  public static <T> Decision<T> handOver(Supplier<Decision<T>> next, Map<String, String> attributes, ReasonCode reason,
      Logger log, String label) {
    Decision<T> decision = next.get();
    if (decision == null) {
      log.error("{}: the policy after the check returned null; refusing", label);
      return Decision.reject(Rejection.of(reason, "INTERNAL_ERROR", reason.safeMessage()), attributes);
    }
    Map<String, String> merged = new LinkedHashMap<>(decision.attributes());
    merged.putAll(attributes);
    return decision instanceof Decision.Allowed<T> allowed
        ? Decision.allow(allowed.value(), merged)
        : Decision.reject(((Decision.Rejected<T>) decision).rejection(), merged);
  }

  /**
   * Closes each, logging failures at WARN: for decorators closing what a provider built for them.
   *
   * @param owned what to close, in order
   * @param log where to report a failure
   */
  public static void closeAll(List<AutoCloseable> owned, Logger log) {
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("closing {} failed", c.getClass().getName(), e);
      }
    }
  }
}
