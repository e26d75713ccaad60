package dev.f2p.core;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A client could not be configured: an unknown or misspelt setting, a missing or invalid value, a
 * provider that is not on the class path or failed to build, a model bundle that was refused, a file
 * that could not be read. Every configuration error from {@link ImageEditClient.Builder#configure} and
 * {@link ImageEditClient.Builder#build()} is this one type; the original failure is its cause. The
 * message names the setting in full ({@code f2p.engine.trusted-keys}) and never holds a setting's value
 * when that value may be a secret.
 */
public final class F2pConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The full name of the setting at fault; null when the error concerns no single one. */
  private final @Nullable String setting;

  /**
   * A configuration error about one setting.
   *
   * @param setting the full name of the setting at fault, such as {@code f2p.engine.bundle}; null when
   *     the error concerns no single setting (an unreadable settings file)
   * @param message what is wrong, naming the setting
   * @param cause the underlying failure, or null
   */
  public F2pConfigurationException(@Nullable String setting, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.setting = setting;
  }

  /**
   * A configuration error about one setting, with no underlying failure.
   *
   * @param setting the full name of the setting at fault, or null
   * @param message what is wrong, naming the setting
   */
  public F2pConfigurationException(@Nullable String setting, String message) {
    this(setting, message, null);
  }

  /**
   * The full name of the setting at fault.
   *
   * @return the setting's full name, such as {@code f2p.rate-limiter.limits.USER}; empty when the error
   *     concerns no single setting
   */
  public Optional<String> setting() {
    return Optional.ofNullable(setting);
  }
}
