package dev.f2p.spring.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The guard's settings under {@code f2p}, as YAML or environment variables can say them. Each policy slot
 * selects its implementation with a {@code type} key and takes that provider's settings beside it
 * (a key that selects an implementation cannot also have children in YAML):
 *
 * <pre>{@code
 * f2p:
 *   engine:
 *     type: djl
 *     bundle: models/single-pass
 *     trusted-keys: models/keys/signing.pub.pem
 *   output-policy:
 *     type: pdq
 *     delegate:
 *       type: provenance          # a nested selection is a type key too
 *   authorizers:
 *     - type: roles
 *     - type: incident
 *       file: incidents.journal
 * }</pre>
 *
 * <p>The auto-configuration translates them into the library's settings map ({@code f2p.engine.type=djl},
 * {@code f2p.engine.bundle=...}) and builds the client through {@code ImageEditClient.Builder#configure},
 * so the providers' own setting names and validation apply unchanged. A slot the host fills with its own
 * bean ignores its properties here. Mutable, as Spring binding requires; not thread-safe, read once at
 * start-up.
 */
@ConfigurationProperties(prefix = "f2p")
public class F2pProperties {
  /** Who is calling: {@code type} (e.g. {@code api-key}, {@code incident}) and that provider's settings. */
  private Map<String, String> authenticator = new LinkedHashMap<>();
  /** Every authorizer must allow; each entry a {@code type} (e.g. {@code roles}, {@code incident}) and its settings. */
  private List<Map<String, String>> authorizers = new ArrayList<>();
  /** How often: {@code type} (e.g. {@code token-bucket}) and its settings. */
  private Map<String, String> rateLimiter = new LinkedHashMap<>();
  /** What text: {@code type} (e.g. {@code standard}) and its settings. */
  private Map<String, String> promptFilter = new LinkedHashMap<>();
  /** What bytes: {@code type} (e.g. {@code standard}, {@code pdq}) and its settings. */
  private Map<String, String> imageValidator = new LinkedHashMap<>();
  /** Is there room: {@code type} (e.g. {@code standard}) and its settings. */
  private Map<String, String> resourceGuard = new LinkedHashMap<>();
  /** The model: {@code type} (e.g. {@code djl}) and its settings. */
  private Map<String, String> engine = new LinkedHashMap<>();
  /** What leaves: {@code type} (e.g. {@code provenance}, {@code pdq}) and its settings. */
  private Map<String, String> outputPolicy = new LinkedHashMap<>();
  /** Who hears every decision; each entry a {@code type} (e.g. {@code slf4j}, {@code incident}) and its settings. */
  private List<Map<String, String>> listeners = new ArrayList<>();
  private final ClientAddress clientAddress = new ClientAddress();
  private final Http http = new Http();

  /** @return the authenticator's type and settings */
  public Map<String, String> getAuthenticator() {
    return authenticator;
  }

  /** @param authenticator the authenticator's type and settings */
  public void setAuthenticator(Map<String, String> authenticator) {
    this.authenticator = authenticator;
  }

  /** @return the authorizers, in order */
  public List<Map<String, String>> getAuthorizers() {
    return authorizers;
  }

  /** @param authorizers the authorizers, in order */
  public void setAuthorizers(List<Map<String, String>> authorizers) {
    this.authorizers = authorizers;
  }

  /** @return the rate limiter's type and settings */
  public Map<String, String> getRateLimiter() {
    return rateLimiter;
  }

  /** @param rateLimiter the rate limiter's type and settings */
  public void setRateLimiter(Map<String, String> rateLimiter) {
    this.rateLimiter = rateLimiter;
  }

  /** @return the prompt filter's type and settings */
  public Map<String, String> getPromptFilter() {
    return promptFilter;
  }

  /** @param promptFilter the prompt filter's type and settings */
  public void setPromptFilter(Map<String, String> promptFilter) {
    this.promptFilter = promptFilter;
  }

  /** @return the image validator's type and settings */
  public Map<String, String> getImageValidator() {
    return imageValidator;
  }

  /** @param imageValidator the image validator's type and settings */
  public void setImageValidator(Map<String, String> imageValidator) {
    this.imageValidator = imageValidator;
  }

  /** @return the resource guard's type and settings */
  public Map<String, String> getResourceGuard() {
    return resourceGuard;
  }

  /** @param resourceGuard the resource guard's type and settings */
  public void setResourceGuard(Map<String, String> resourceGuard) {
    this.resourceGuard = resourceGuard;
  }

  /** @return the engine's type and settings */
  public Map<String, String> getEngine() {
    return engine;
  }

  /** @param engine the engine's type and settings */
  public void setEngine(Map<String, String> engine) {
    this.engine = engine;
  }

  /** @return the output policy's type and settings */
  public Map<String, String> getOutputPolicy() {
    return outputPolicy;
  }

  /** @param outputPolicy the output policy's type and settings */
  public void setOutputPolicy(Map<String, String> outputPolicy) {
    this.outputPolicy = outputPolicy;
  }

  /** @return the listeners, in order */
  public List<Map<String, String>> getListeners() {
    return listeners;
  }

  /** @param listeners the listeners, in order */
  public void setListeners(List<Map<String, String>> listeners) {
    this.listeners = listeners;
  }

  /** @return how callers' addresses are keyed */
  public ClientAddress getClientAddress() {
    return clientAddress;
  }

  /** @return the {@code POST /generate} front */
  public Http getHttp() {
    return http;
  }

  /** How callers' addresses are keyed for limits, lockouts and blocks. */
  public static class ClientAddress {
    /** IPv6 callers are keyed by this prefix length (1..128); unset: the library's default, /64. */
    private Integer ipv6Prefix;

    /** @return the IPv6 prefix length; null for the library's default */
    public Integer getIpv6Prefix() {
      return ipv6Prefix;
    }

    /** @param ipv6Prefix the IPv6 prefix length */
    public void setIpv6Prefix(Integer ipv6Prefix) {
      this.ipv6Prefix = ipv6Prefix;
    }
  }

  /** The Spring MVC front: {@code POST} of a multipart form, admitted on its headers before the body is read. */
  public static class Http {
    /** Whether to serve the front in a servlet web application. */
    private boolean enabled = true;
    /** Its path. */
    private String path = "/generate";
    /** The most body bytes read; a larger declared Content-Length is refused with 413 before any is read. */
    private DataSize maxBody = DataSize.ofMegabytes(12);

    /** @return whether the front is served */
    public boolean isEnabled() {
      return enabled;
    }

    /** @param enabled whether the front is served */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** @return the front's path */
    public String getPath() {
      return path;
    }

    /** @param path the front's path */
    public void setPath(String path) {
      this.path = path;
    }

    /** @return the most body bytes read */
    public DataSize getMaxBody() {
      return maxBody;
    }

    /** @param maxBody the most body bytes read */
    public void setMaxBody(DataSize maxBody) {
      this.maxBody = maxBody;
    }
  }
}
