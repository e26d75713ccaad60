package dev.f2p.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The guard's settings under {@code f2p}, typed, so an IDE completes and checks them and YAML and
 * environment variables ({@code F2P_ENGINE_TRUSTEDKEYS}) bind them. The names are the library's own
 * settings names ({@code ImageEditClient.Builder#configure}): each policy slot selects its implementation
 * with a {@code type} key and takes that provider's settings beside it; a slot's class holds the settings
 * of every provider the library ships for it, and each setting's description says which provider reads it.
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
 *   authorizers: roles,incident
 *   authorizer:
 *     incident:
 *       file: incidents.journal
 * }</pre>
 *
 * <p>The auto-configuration writes what was bound back as the library's settings map (values left at
 * their defaults are left out, so the library's own defaults apply) and builds the client through
 * {@code configure(...)}, so the providers' validation applies unchanged: a setting the selected provider
 * does not read fails the start naming the nearest one. Names under {@code f2p} that no class here has
 * (a third-party provider's) are handed to the library as they are. A slot the host fills with its own
 * bean ignores its properties here. Mutable, as Spring binding requires; not thread-safe, read once at
 * start-up.
 */
@ConfigurationProperties(prefix = "f2p")
public class F2pProperties {
  /** Who is calling. */
  private final Authenticator authenticator = new Authenticator();
  /** The authorizers, in order (every one must allow), such as {@code roles,incident}; default {@code roles}. */
  private List<String> authorizers = new ArrayList<>();
  /** The settings of each authorizer listed, under its name. */
  private final Authorizers authorizer = new Authorizers();
  /** How often. */
  private final RateLimiter rateLimiter = new RateLimiter();
  /** What text. */
  private final PromptFilter promptFilter = new PromptFilter();
  /** What bytes. */
  private final ImageValidator imageValidator = new ImageValidator();
  /** Is there room. */
  private final ResourceGuard resourceGuard = new ResourceGuard();
  /** The model. */
  private final Engine engine = new Engine();
  /** What leaves. */
  private final OutputPolicy outputPolicy = new OutputPolicy();
  /** Who hears every decision, such as {@code slf4j,micrometer}. */
  private List<String> listeners = new ArrayList<>();
  /** The settings of each listener listed, under its name. */
  private final Listeners listener = new Listeners();
  /** The Redis connection every f2p-redis provider shares (rate limits, lockouts, incident state). */
  private final Redis redis = new Redis();
  /** The environment variable holding the key of the keyed prompt and key fingerprints in events. */
  private @Nullable String fingerprintKeyEnv;
  /** How callers' addresses are keyed. */
  private final ClientAddress clientAddress = new ClientAddress();
  /** The {@code POST /generate} front; not a library setting. */
  private final Http http = new Http();

  /** @return the authenticator's type and settings */
  public Authenticator getAuthenticator() {
    return authenticator;
  }

  /** @return the authorizers, in order */
  public List<String> getAuthorizers() {
    return authorizers;
  }

  /** @param authorizers the authorizers, in order */
  public void setAuthorizers(List<String> authorizers) {
    this.authorizers = authorizers;
  }

  /** @return the authorizers' settings */
  public Authorizers getAuthorizer() {
    return authorizer;
  }

  /** @return the rate limiter's type and settings */
  public RateLimiter getRateLimiter() {
    return rateLimiter;
  }

  /** @return the prompt filter's type and settings */
  public PromptFilter getPromptFilter() {
    return promptFilter;
  }

  /** @return the image validator's type and settings */
  public ImageValidator getImageValidator() {
    return imageValidator;
  }

  /** @return the resource guard's type and settings */
  public ResourceGuard getResourceGuard() {
    return resourceGuard;
  }

  /** @return the engine's type and settings */
  public Engine getEngine() {
    return engine;
  }

  /** @return the output policy's type and settings */
  public OutputPolicy getOutputPolicy() {
    return outputPolicy;
  }

  /** @return the listeners, in order */
  public List<String> getListeners() {
    return listeners;
  }

  /** @param listeners the listeners, in order */
  public void setListeners(List<String> listeners) {
    this.listeners = listeners;
  }

  /** @return the listeners' settings */
  public Listeners getListener() {
    return listener;
  }

  /** @return the shared Redis connection */
  public Redis getRedis() {
    return redis;
  }

  /** @return the fingerprint key's environment variable */
  public @Nullable String getFingerprintKeyEnv() {
    return fingerprintKeyEnv;
  }

  /** @param fingerprintKeyEnv the fingerprint key's environment variable */
  public void setFingerprintKeyEnv(@Nullable String fingerprintKeyEnv) {
    this.fingerprintKeyEnv = fingerprintKeyEnv;
  }

  /** @return how callers' addresses are keyed */
  public ClientAddress getClientAddress() {
    return clientAddress;
  }

  /** @return the {@code POST /generate} front */
  public Http getHttp() {
    return http;
  }

  /** The Redis connection (f2p-redis): under {@code f2p.redis}, or a provider's own {@code redis} scope that overrides it as a whole. */
  public static class Redis {
    /** The server, such as redis://redis:6379 or rediss://... (required). */
    private @Nullable String uri;
    /** The user name, with a password. */
    private @Nullable String username;
    /** The password itself; prefer password-env. */
    private @Nullable String password;
    /** The environment variable holding the password. */
    private @Nullable String passwordEnv;
    /** Prefix of every key this library writes. */
    private String prefix = "f2p:";
    /** Longest wait for one command. */
    private Duration commandTimeout = Duration.ofMillis(250);
    /** Longest wait to connect. */
    private Duration connectTimeout = Duration.ofSeconds(1);
    /** What a request meets while Redis is unreachable: the library's failure modes (fail closed by default). */
    private @Nullable String failureMode;
    /** Instances sharing the limits: each keeps this share of them locally while Redis is down. */
    private Integer instances = 1;
    /** How often an unreachable server is probed. */
    private Duration probeInterval = Duration.ofSeconds(1);
    /** How long an idle bucket outlives its window. */
    private Duration bucketGrace = Duration.ofSeconds(10);
    /** Callers tracked locally while Redis is down. */
    private Integer maxTracked = 100000;

    /** @return uri */
    public @Nullable String getUri() {
      return uri;
    }

    /** @param uri uri */
    public void setUri(@Nullable String uri) {
      this.uri = uri;
    }

    /** @return username */
    public @Nullable String getUsername() {
      return username;
    }

    /** @param username username */
    public void setUsername(@Nullable String username) {
      this.username = username;
    }

    /** @return password */
    public @Nullable String getPassword() {
      return password;
    }

    /** @param password password */
    public void setPassword(@Nullable String password) {
      this.password = password;
    }

    /** @return password-env */
    public @Nullable String getPasswordEnv() {
      return passwordEnv;
    }

    /** @param passwordEnv password-env */
    public void setPasswordEnv(@Nullable String passwordEnv) {
      this.passwordEnv = passwordEnv;
    }

    /** @return prefix */
    public String getPrefix() {
      return prefix;
    }

    /** @param prefix prefix */
    public void setPrefix(String prefix) {
      this.prefix = prefix;
    }

    /** @return command-timeout */
    public Duration getCommandTimeout() {
      return commandTimeout;
    }

    /** @param commandTimeout command-timeout */
    public void setCommandTimeout(Duration commandTimeout) {
      this.commandTimeout = commandTimeout;
    }

    /** @return connect-timeout */
    public Duration getConnectTimeout() {
      return connectTimeout;
    }

    /** @param connectTimeout connect-timeout */
    public void setConnectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
    }

    /** @return failure-mode */
    public @Nullable String getFailureMode() {
      return failureMode;
    }

    /** @param failureMode failure-mode */
    public void setFailureMode(@Nullable String failureMode) {
      this.failureMode = failureMode;
    }

    /** @return instances */
    public Integer getInstances() {
      return instances;
    }

    /** @param instances instances */
    public void setInstances(Integer instances) {
      this.instances = instances;
    }

    /** @return probe-interval */
    public Duration getProbeInterval() {
      return probeInterval;
    }

    /** @param probeInterval probe-interval */
    public void setProbeInterval(Duration probeInterval) {
      this.probeInterval = probeInterval;
    }

    /** @return bucket-grace */
    public Duration getBucketGrace() {
      return bucketGrace;
    }

    /** @param bucketGrace bucket-grace */
    public void setBucketGrace(Duration bucketGrace) {
      this.bucketGrace = bucketGrace;
    }

    /** @return max-tracked */
    public Integer getMaxTracked() {
      return maxTracked;
    }

    /** @param maxTracked max-tracked */
    public void setMaxTracked(Integer maxTracked) {
      this.maxTracked = maxTracked;
    }
  }

  /** Lockouts of addresses after failed keys ({@code api-key}). */
  public static class Lockout {
    /** Failures from one address before it is locked out. */
    private Integer threshold = 10;
    /** Wrong secrets for one key id that raise a KEY_UNDER_ATTACK alert (the key is never locked); 0 for none. */
    private Integer keyThreshold = 20;
    /** The window failures are counted in. */
    private Duration window = Duration.ofMinutes(15);
    /** The first lockout; each next one doubles. */
    private Duration base = Duration.ofMinutes(1);
    /** The longest lockout. */
    private Duration max = Duration.ofHours(1);
    /** Addresses tracked at most (local store). */
    private Integer maxTracked = 100000;
    /** Where lockout counters live: local or redis (f2p-redis, connection under the authenticator's redis or f2p.redis). */
    private String store = "local";

    /** @return threshold */
    public Integer getThreshold() {
      return threshold;
    }

    /** @param threshold threshold */
    public void setThreshold(Integer threshold) {
      this.threshold = threshold;
    }

    /** @return key-threshold */
    public Integer getKeyThreshold() {
      return keyThreshold;
    }

    /** @param keyThreshold key-threshold */
    public void setKeyThreshold(Integer keyThreshold) {
      this.keyThreshold = keyThreshold;
    }

    /** @return window */
    public Duration getWindow() {
      return window;
    }

    /** @param window window */
    public void setWindow(Duration window) {
      this.window = window;
    }

    /** @return base */
    public Duration getBase() {
      return base;
    }

    /** @param base base */
    public void setBase(Duration base) {
      this.base = base;
    }

    /** @return max */
    public Duration getMax() {
      return max;
    }

    /** @param max max */
    public void setMax(Duration max) {
      this.max = max;
    }

    /** @return max-tracked */
    public Integer getMaxTracked() {
      return maxTracked;
    }

    /** @param maxTracked max-tracked */
    public void setMaxTracked(Integer maxTracked) {
      this.maxTracked = maxTracked;
    }

    /** @return store */
    public String getStore() {
      return store;
    }

    /** @param store store */
    public void setStore(String store) {
      this.store = store;
    }
  }

  /** Who is calling: the authenticator ({@code f2p.authenticator}). */
  public static class Authenticator {
    /** The provider: api-key (f2p-security) or another on the class path. */
    private @Nullable String type;
    /** The key file (api-key; required, it must exist). */
    private @Nullable String file;
    /** How often the key file is checked for changes. */
    private Duration reloadInterval = Duration.ofSeconds(1);
    /** The HMAC pepper itself, at least 16 bytes; prefer pepper-env. */
    private @Nullable String pepper;
    /** The environment variable holding the HMAC pepper; without a pepper keys are hashed with plain SHA-256. */
    private @Nullable String pepperEnv;
    /** Lockouts after failed keys. */
    private final Lockout lockout = new Lockout();
    /** This provider's own Redis connection, overriding f2p.redis. */
    private final Redis redis = new Redis();

    /** @return type */
    public @Nullable String getType() {
      return type;
    }

    /** @param type type */
    public void setType(@Nullable String type) {
      this.type = type;
    }

    /** @return file */
    public @Nullable String getFile() {
      return file;
    }

    /** @param file file */
    public void setFile(@Nullable String file) {
      this.file = file;
    }

    /** @return reload-interval */
    public Duration getReloadInterval() {
      return reloadInterval;
    }

    /** @param reloadInterval reload-interval */
    public void setReloadInterval(Duration reloadInterval) {
      this.reloadInterval = reloadInterval;
    }

    /** @return pepper */
    public @Nullable String getPepper() {
      return pepper;
    }

    /** @param pepper pepper */
    public void setPepper(@Nullable String pepper) {
      this.pepper = pepper;
    }

    /** @return pepper-env */
    public @Nullable String getPepperEnv() {
      return pepperEnv;
    }

    /** @param pepperEnv pepper-env */
    public void setPepperEnv(@Nullable String pepperEnv) {
      this.pepperEnv = pepperEnv;
    }

    /** @return lockout */
    public Lockout getLockout() {
      return lockout;
    }

    /** @return redis */
    public Redis getRedis() {
      return redis;
    }
  }

  /** One role's limits ({@code roles} authorizer). */
  public static class Role {
    /** Whether the role may edit at all. */
    private @Nullable Boolean edit;
    /** Widest output in pixels. */
    private @Nullable Integer maxWidth;
    /** Tallest output in pixels. */
    private @Nullable Integer maxHeight;
    /** Most inference steps. */
    private @Nullable Integer maxSteps;
    /** Whether the role may use the admin actions. */
    private @Nullable Boolean admin;

    /** @return edit */
    public @Nullable Boolean getEdit() {
      return edit;
    }

    /** @param edit edit */
    public void setEdit(@Nullable Boolean edit) {
      this.edit = edit;
    }

    /** @return max-width */
    public @Nullable Integer getMaxWidth() {
      return maxWidth;
    }

    /** @param maxWidth max-width */
    public void setMaxWidth(@Nullable Integer maxWidth) {
      this.maxWidth = maxWidth;
    }

    /** @return max-height */
    public @Nullable Integer getMaxHeight() {
      return maxHeight;
    }

    /** @param maxHeight max-height */
    public void setMaxHeight(@Nullable Integer maxHeight) {
      this.maxHeight = maxHeight;
    }

    /** @return max-steps */
    public @Nullable Integer getMaxSteps() {
      return maxSteps;
    }

    /** @param maxSteps max-steps */
    public void setMaxSteps(@Nullable Integer maxSteps) {
      this.maxSteps = maxSteps;
    }

    /** @return admin */
    public @Nullable Boolean getAdmin() {
      return admin;
    }

    /** @param admin admin */
    public void setAdmin(@Nullable Boolean admin) {
      this.admin = admin;
    }
  }

  /** Incident control ({@code incident} authorizer, f2p-incident): revocations, suspensions, blocks, lockdown and containment rules. */
  public static class Incident {
    /** The journal file (durable across restarts); in memory without it. */
    private @Nullable String file;
    /** A shared store instead of the file, such as redis (f2p-redis). */
    private @Nullable String store;
    /** Restrictions held at most. */
    private Integer maxEntries = 100000;
    /** Containment rules by name, such as PROMPT_REJECTED by principal 5/10m -> suspend 1h. */
    private Map<String, String> rule = new LinkedHashMap<>();
    /** Add the built-in containment rules when no rule is given. */
    private Boolean defaultRules = true;
    /** Subjects tracked per rule. */
    private Integer maxTracked = 10000;
    /** With store: redis: its own connection, overriding f2p.redis. */
    private final Redis redis = new Redis();

    /** @return file */
    public @Nullable String getFile() {
      return file;
    }

    /** @param file file */
    public void setFile(@Nullable String file) {
      this.file = file;
    }

    /** @return store */
    public @Nullable String getStore() {
      return store;
    }

    /** @param store store */
    public void setStore(@Nullable String store) {
      this.store = store;
    }

    /** @return max-entries */
    public Integer getMaxEntries() {
      return maxEntries;
    }

    /** @param maxEntries max-entries */
    public void setMaxEntries(Integer maxEntries) {
      this.maxEntries = maxEntries;
    }

    /** @return rule */
    public Map<String, String> getRule() {
      return rule;
    }

    /** @param rule rule */
    public void setRule(Map<String, String> rule) {
      this.rule = rule;
    }

    /** @return default-rules */
    public Boolean getDefaultRules() {
      return defaultRules;
    }

    /** @param defaultRules default-rules */
    public void setDefaultRules(Boolean defaultRules) {
      this.defaultRules = defaultRules;
    }

    /** @return max-tracked */
    public Integer getMaxTracked() {
      return maxTracked;
    }

    /** @param maxTracked max-tracked */
    public void setMaxTracked(Integer maxTracked) {
      this.maxTracked = maxTracked;
    }

    /** @return redis */
    public Redis getRedis() {
      return redis;
    }
  }

  /** The settings of each authorizer {@code f2p.authorizers} lists, under its name. */
  public static class Authorizers {
    /** roles: limits per role name (ADMIN, USER, TRIAL or the host's own), each falling back to the role's default. */
    private Map<String, Role> roles = new LinkedHashMap<>();
    /** incident: incident control. */
    private final Incident incident = new Incident();

    /** @return roles */
    public Map<String, Role> getRoles() {
      return roles;
    }

    /** @param roles roles */
    public void setRoles(Map<String, Role> roles) {
      this.roles = roles;
    }

    /** @return incident */
    public Incident getIncident() {
      return incident;
    }
  }

  /** How often: the rate limiter ({@code f2p.rate-limiter}). */
  public static class RateLimiter {
    /** The provider: token-bucket (f2p-security), redis (f2p-redis, shared across instances). */
    private @Nullable String type;
    /** Limits such as 10/minute or 100/hour;1000/day, by role (default, TRIAL, ...) or principal.NAME. */
    private Map<String, String> limits = new LinkedHashMap<>();
    /** A limit per caller address, such as 60/minute. */
    private @Nullable String address;
    /** token-bucket: callers tracked at most. */
    private Integer maxTracked = 100000;
    /** token-bucket: addresses tracked at most. */
    private Integer maxTrackedAddresses = 100000;
    /** token-bucket: how long an idle caller's buckets are kept. */
    private Duration idleExpiry = Duration.ofDays(1);
    /** redis: its own connection, overriding f2p.redis. */
    private final Redis redis = new Redis();

    /** @return type */
    public @Nullable String getType() {
      return type;
    }

    /** @param type type */
    public void setType(@Nullable String type) {
      this.type = type;
    }

    /** @return limits */
    public Map<String, String> getLimits() {
      return limits;
    }

    /** @param limits limits */
    public void setLimits(Map<String, String> limits) {
      this.limits = limits;
    }

    /** @return address */
    public @Nullable String getAddress() {
      return address;
    }

    /** @param address address */
    public void setAddress(@Nullable String address) {
      this.address = address;
    }

    /** @return max-tracked */
    public Integer getMaxTracked() {
      return maxTracked;
    }

    /** @param maxTracked max-tracked */
    public void setMaxTracked(Integer maxTracked) {
      this.maxTracked = maxTracked;
    }

    /** @return max-tracked-addresses */
    public Integer getMaxTrackedAddresses() {
      return maxTrackedAddresses;
    }

    /** @param maxTrackedAddresses max-tracked-addresses */
    public void setMaxTrackedAddresses(Integer maxTrackedAddresses) {
      this.maxTrackedAddresses = maxTrackedAddresses;
    }

    /** @return idle-expiry */
    public Duration getIdleExpiry() {
      return idleExpiry;
    }

    /** @param idleExpiry idle-expiry */
    public void setIdleExpiry(Duration idleExpiry) {
      this.idleExpiry = idleExpiry;
    }

    /** @return redis */
    public Redis getRedis() {
      return redis;
    }
  }

  /** Block list files of the standard prompt filter. */
  public static class Blocklist {
    /** Block list files (UTF-8), comma-separated. */
    private List<String> files = new ArrayList<>();

    /** @return files */
    public List<String> getFiles() {
      return files;
    }

    /** @param files files */
    public void setFiles(List<String> files) {
      this.files = files;
    }
  }

  /** A semantic second opinion for the prompt filter (f2p-moderation). */
  public static class Classifier {
    /** The provider: chat-guard (Qwen3Guard-Gen or Llama Guard 4 behind a chat endpoint) or openai-moderation. */
    private @Nullable String type;
    /** Classifications running at once; more are refused. */
    private @Nullable Integer threads;
    /** How long the filter waits for the classifier. */
    private Duration timeout = Duration.ofSeconds(2);
    /** The server's base URL, such as http://guard:8000/v1. */
    private @Nullable String endpoint;
    /** The model name the server knows. */
    private @Nullable String model;
    /** chat-guard: qwen3-guard or llama-guard-4. */
    private @Nullable String format;
    /** The environment variable holding the bearer key. */
    private @Nullable String apiKeyEnv;
    /** Longest wait for one answer. */
    private Duration requestTimeout = Duration.ofSeconds(2);
    /** Largest answer read. */
    private Integer maxResponseBytes = 65536;
    /** chat-guard: let Qwen3Guard's Controversial through. */
    private Boolean allowControversial = false;

    /** @return type */
    public @Nullable String getType() {
      return type;
    }

    /** @param type type */
    public void setType(@Nullable String type) {
      this.type = type;
    }

    /** @return threads */
    public @Nullable Integer getThreads() {
      return threads;
    }

    /** @param threads threads */
    public void setThreads(@Nullable Integer threads) {
      this.threads = threads;
    }

    /** @return timeout */
    public Duration getTimeout() {
      return timeout;
    }

    /** @param timeout timeout */
    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    /** @return endpoint */
    public @Nullable String getEndpoint() {
      return endpoint;
    }

    /** @param endpoint endpoint */
    public void setEndpoint(@Nullable String endpoint) {
      this.endpoint = endpoint;
    }

    /** @return model */
    public @Nullable String getModel() {
      return model;
    }

    /** @param model model */
    public void setModel(@Nullable String model) {
      this.model = model;
    }

    /** @return format */
    public @Nullable String getFormat() {
      return format;
    }

    /** @param format format */
    public void setFormat(@Nullable String format) {
      this.format = format;
    }

    /** @return api-key-env */
    public @Nullable String getApiKeyEnv() {
      return apiKeyEnv;
    }

    /** @param apiKeyEnv api-key-env */
    public void setApiKeyEnv(@Nullable String apiKeyEnv) {
      this.apiKeyEnv = apiKeyEnv;
    }

    /** @return request-timeout */
    public Duration getRequestTimeout() {
      return requestTimeout;
    }

    /** @param requestTimeout request-timeout */
    public void setRequestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
    }

    /** @return max-response-bytes */
    public Integer getMaxResponseBytes() {
      return maxResponseBytes;
    }

    /** @param maxResponseBytes max-response-bytes */
    public void setMaxResponseBytes(Integer maxResponseBytes) {
      this.maxResponseBytes = maxResponseBytes;
    }

    /** @return allow-controversial */
    public Boolean getAllowControversial() {
      return allowControversial;
    }

    /** @param allowControversial allow-controversial */
    public void setAllowControversial(Boolean allowControversial) {
      this.allowControversial = allowControversial;
    }
  }

  /** What text: the prompt filter ({@code f2p.prompt-filter}). */
  public static class PromptFilter {
    /** The provider: standard (f2p-security) or another on the class path. */
    private @Nullable String type;
    /** Longest prompt in characters. */
    private Integer maxChars = 2000;
    /** Longest prompt in UTF-8 bytes. */
    private Integer maxBytes = 8000;
    /** Strip control characters and <>{}; false refuses them instead. */
    private Boolean stripCharacters = true;
    /** Use only the block list files, without the built-in lists. */
    private Boolean replaceBuiltin = false;
    /** Block list files. */
    private final Blocklist blocklist = new Blocklist();
    /** What a refusal resting on one ambiguous term becomes: refuse, allow or classifier. */
    private String lowConfidence = "refuse";
    /** A semantic classifier asked about prompts. */
    private final Classifier classifier = new Classifier();

    /** @return type */
    public @Nullable String getType() {
      return type;
    }

    /** @param type type */
    public void setType(@Nullable String type) {
      this.type = type;
    }

    /** @return max-chars */
    public Integer getMaxChars() {
      return maxChars;
    }

    /** @param maxChars max-chars */
    public void setMaxChars(Integer maxChars) {
      this.maxChars = maxChars;
    }

    /** @return max-bytes */
    public Integer getMaxBytes() {
      return maxBytes;
    }

    /** @param maxBytes max-bytes */
    public void setMaxBytes(Integer maxBytes) {
      this.maxBytes = maxBytes;
    }

    /** @return strip-characters */
    public Boolean getStripCharacters() {
      return stripCharacters;
    }

    /** @param stripCharacters strip-characters */
    public void setStripCharacters(Boolean stripCharacters) {
      this.stripCharacters = stripCharacters;
    }

    /** @return replace-builtin */
    public Boolean getReplaceBuiltin() {
      return replaceBuiltin;
    }

    /** @param replaceBuiltin replace-builtin */
    public void setReplaceBuiltin(Boolean replaceBuiltin) {
      this.replaceBuiltin = replaceBuiltin;
    }

    /** @return blocklist */
    public Blocklist getBlocklist() {
      return blocklist;
    }

    /** @return low-confidence */
    public String getLowConfidence() {
      return lowConfidence;
    }

    /** @param lowConfidence low-confidence */
    public void setLowConfidence(String lowConfidence) {
      this.lowConfidence = lowConfidence;
    }

    /** @return classifier */
    public Classifier getClassifier() {
      return classifier;
    }
  }

  /** The one-face check of the standard image validator. */
  public static class FaceDetector {
    /** auto (the detector on the class path, if any), none, or a provider such as opencv (f2p-face-opencv). */
    private String type = "auto";
    /** opencv: longest side the cascade runs on. */
    private @Nullable Integer maxSide;
    /** opencv: the cascade's scale step. */
    private @Nullable Double scaleFactor;
    /** opencv: the cascade's minimum neighbours. */
    private @Nullable Integer minNeighbors;
    /** opencv: the smallest face side in pixels. */
    private @Nullable Integer minFacePixels;
    /** opencv: wait for a free classifier. */
    private Duration acquireTimeout = Duration.ofSeconds(5);
    /** opencv: classifiers kept; default the number of processors. */
    private @Nullable Integer poolSize;

    /** @return type */
    public String getType() {
      return type;
    }

    /** @param type type */
    public void setType(String type) {
      this.type = type;
    }

    /** @return max-side */
    public @Nullable Integer getMaxSide() {
      return maxSide;
    }

    /** @param maxSide max-side */
    public void setMaxSide(@Nullable Integer maxSide) {
      this.maxSide = maxSide;
    }

    /** @return scale-factor */
    public @Nullable Double getScaleFactor() {
      return scaleFactor;
    }

    /** @param scaleFactor scale-factor */
    public void setScaleFactor(@Nullable Double scaleFactor) {
      this.scaleFactor = scaleFactor;
    }

    /** @return min-neighbors */
    public @Nullable Integer getMinNeighbors() {
      return minNeighbors;
    }

    /** @param minNeighbors min-neighbors */
    public void setMinNeighbors(@Nullable Integer minNeighbors) {
      this.minNeighbors = minNeighbors;
    }

    /** @return min-face-pixels */
    public @Nullable Integer getMinFacePixels() {
      return minFacePixels;
    }

    /** @param minFacePixels min-face-pixels */
    public void setMinFacePixels(@Nullable Integer minFacePixels) {
      this.minFacePixels = minFacePixels;
    }

    /** @return acquire-timeout */
    public Duration getAcquireTimeout() {
      return acquireTimeout;
    }

    /** @param acquireTimeout acquire-timeout */
    public void setAcquireTimeout(Duration acquireTimeout) {
      this.acquireTimeout = acquireTimeout;
    }

    /** @return pool-size */
    public @Nullable Integer getPoolSize() {
      return poolSize;
    }

    /** @param poolSize pool-size */
    public void setPoolSize(@Nullable Integer poolSize) {
      this.poolSize = poolSize;
    }
  }

  /** The settings every image validator the library ships reads (standard, pdq, nsfw). */
  public static class ImageCheck extends DecoratorCheck {
    /** The provider: standard (f2p-security), pdq (f2p-pdq), nsfw (f2p-moderation) or another on the class path. */
    private @Nullable String type;
    /** standard: largest upload in bytes (refused with 413). */
    private Integer maxBytes = 10485760;
    /** standard: longest side in pixels. */
    private Integer maxSide = 2048;
    /** standard: most pixels. */
    private Long maxPixels = 4194304L;
    /** standard: shortest side in pixels. */
    private Integer minSide = 64;
    /** standard: smallest share of the frame the one face covers. */
    private Double minFaceShare = 0.10;
    /** standard: allowed formats by magic number (jpeg, png, webp); default JPEG and PNG. */
    private List<String> formats = new ArrayList<>();
    /** standard: the one-face check. */
    private final FaceDetector faceDetector = new FaceDetector();
    /** standard: bytes all decodes in flight may hold together (256m, 1g). */
    private String decodeMemory = "256m";
    /** standard: most decodes at once; default the number of processors. */
    private @Nullable Integer decodeConcurrency;
    /** standard: longest wait for room in the decode budget, then OVERLOADED. */
    private Duration decodeWait = Duration.ofSeconds(2);

    /** @return type */
    public @Nullable String getType() {
      return type;
    }

    /** @param type type */
    public void setType(@Nullable String type) {
      this.type = type;
    }

    /** @return max-bytes */
    public Integer getMaxBytes() {
      return maxBytes;
    }

    /** @param maxBytes max-bytes */
    public void setMaxBytes(Integer maxBytes) {
      this.maxBytes = maxBytes;
    }

    /** @return max-side */
    public Integer getMaxSide() {
      return maxSide;
    }

    /** @param maxSide max-side */
    public void setMaxSide(Integer maxSide) {
      this.maxSide = maxSide;
    }

    /** @return max-pixels */
    public Long getMaxPixels() {
      return maxPixels;
    }

    /** @param maxPixels max-pixels */
    public void setMaxPixels(Long maxPixels) {
      this.maxPixels = maxPixels;
    }

    /** @return min-side */
    public Integer getMinSide() {
      return minSide;
    }

    /** @param minSide min-side */
    public void setMinSide(Integer minSide) {
      this.minSide = minSide;
    }

    /** @return min-face-share */
    public Double getMinFaceShare() {
      return minFaceShare;
    }

    /** @param minFaceShare min-face-share */
    public void setMinFaceShare(Double minFaceShare) {
      this.minFaceShare = minFaceShare;
    }

    /** @return formats */
    public List<String> getFormats() {
      return formats;
    }

    /** @param formats formats */
    public void setFormats(List<String> formats) {
      this.formats = formats;
    }

    /** @return face-detector */
    public FaceDetector getFaceDetector() {
      return faceDetector;
    }

    /** @return decode-memory */
    public String getDecodeMemory() {
      return decodeMemory;
    }

    /** @param decodeMemory decode-memory */
    public void setDecodeMemory(String decodeMemory) {
      this.decodeMemory = decodeMemory;
    }

    /** @return decode-concurrency */
    public @Nullable Integer getDecodeConcurrency() {
      return decodeConcurrency;
    }

    /** @param decodeConcurrency decode-concurrency */
    public void setDecodeConcurrency(@Nullable Integer decodeConcurrency) {
      this.decodeConcurrency = decodeConcurrency;
    }

    /** @return decode-wait */
    public Duration getDecodeWait() {
      return decodeWait;
    }

    /** @param decodeWait decode-wait */
    public void setDecodeWait(Duration decodeWait) {
      this.decodeWait = decodeWait;
    }
  }

  /** The validator a {@code pdq} or {@code nsfw} validator hands the bytes to first, with its settings. */
  public static class ImageValidatorDelegate extends ImageCheck {
    /** Its own delegate, when it decorates too (nsfw over pdq over standard). */
    private final ImageCheck delegate = new ImageCheck();

    /** @return delegate */
    public ImageCheck getDelegate() {
      return delegate;
    }
  }

  /** What bytes: the image validator ({@code f2p.image-validator}). */
  public static class ImageValidator extends ImageCheck {
    /** pdq, nsfw: the validator that checks and decodes the bytes first (required). */
    private final ImageValidatorDelegate delegate = new ImageValidatorDelegate();

    /** @return delegate */
    public ImageValidatorDelegate getDelegate() {
      return delegate;
    }
  }

  /** The resource guard's circuit breaker. */
  public static class Breaker {
    /** Consecutive engine failures that open it. */
    private Integer failures = 5;
    /** How long it stays open before one probe. */
    private Duration cooldown = Duration.ofSeconds(30);

    /** @return failures */
    public Integer getFailures() {
      return failures;
    }

    /** @param failures failures */
    public void setFailures(Integer failures) {
      this.failures = failures;
    }

    /** @return cooldown */
    public Duration getCooldown() {
      return cooldown;
    }

    /** @param cooldown cooldown */
    public void setCooldown(Duration cooldown) {
      this.cooldown = cooldown;
    }
  }

  /** Is there room: the resource guard ({@code f2p.resource-guard}). */
  public static class ResourceGuard {
    /** The provider: standard (f2p-security) or another on the class path. */
    private @Nullable String type;
    /**
     * Devices (slots = devices x slots per device), only for an engine that declares no capacity plan: the
     * djl and remote engines size the guard themselves, and setting this beside them fails. Default 1.
     */
    private @Nullable Integer devices;
    /** Requests running at once per device, only for an engine that declares no capacity plan. Default 1. */
    private @Nullable Integer slotsPerDevice;
    /** How many may wait for a slot. */
    private Integer queue = 8;
    /** How long one may wait. */
    private Duration maxWait = Duration.ofSeconds(5);
    /** The longest one request may take, waiting and running. */
    private Duration deadline = Duration.ofSeconds(30);
    /** The most one request of a role may cost (width x height x steps), by role. */
    private Map<String, Long> costCeiling = new LinkedHashMap<>();
    /** The most everything in flight may cost together; default unlimited. */
    private @Nullable Long budget;
    /** Free JVM heap below which requests are refused (k, m, g). */
    private String minHeapFree = "64m";
    /** Free device memory below which requests are refused; read from the engine. */
    private @Nullable String minDeviceFree;
    /** The circuit breaker. */
    private final Breaker breaker = new Breaker();

    /** @return type */
    public @Nullable String getType() {
      return type;
    }

    /** @param type type */
    public void setType(@Nullable String type) {
      this.type = type;
    }

    /** @return devices */
    public @Nullable Integer getDevices() {
      return devices;
    }

    /** @param devices devices */
    public void setDevices(@Nullable Integer devices) {
      this.devices = devices;
    }

    /** @return slots-per-device */
    public @Nullable Integer getSlotsPerDevice() {
      return slotsPerDevice;
    }

    /** @param slotsPerDevice slots-per-device */
    public void setSlotsPerDevice(@Nullable Integer slotsPerDevice) {
      this.slotsPerDevice = slotsPerDevice;
    }

    /** @return queue */
    public Integer getQueue() {
      return queue;
    }

    /** @param queue queue */
    public void setQueue(Integer queue) {
      this.queue = queue;
    }

    /** @return max-wait */
    public Duration getMaxWait() {
      return maxWait;
    }

    /** @param maxWait max-wait */
    public void setMaxWait(Duration maxWait) {
      this.maxWait = maxWait;
    }

    /** @return deadline */
    public Duration getDeadline() {
      return deadline;
    }

    /** @param deadline deadline */
    public void setDeadline(Duration deadline) {
      this.deadline = deadline;
    }

    /** @return cost-ceiling */
    public Map<String, Long> getCostCeiling() {
      return costCeiling;
    }

    /** @param costCeiling cost-ceiling */
    public void setCostCeiling(Map<String, Long> costCeiling) {
      this.costCeiling = costCeiling;
    }

    /** @return budget */
    public @Nullable Long getBudget() {
      return budget;
    }

    /** @param budget budget */
    public void setBudget(@Nullable Long budget) {
      this.budget = budget;
    }

    /** @return min-heap-free */
    public String getMinHeapFree() {
      return minHeapFree;
    }

    /** @param minHeapFree min-heap-free */
    public void setMinHeapFree(String minHeapFree) {
      this.minHeapFree = minHeapFree;
    }

    /** @return min-device-free */
    public @Nullable String getMinDeviceFree() {
      return minDeviceFree;
    }

    /** @param minDeviceFree min-device-free */
    public void setMinDeviceFree(@Nullable String minDeviceFree) {
      this.minDeviceFree = minDeviceFree;
    }

    /** @return breaker */
    public Breaker getBreaker() {
      return breaker;
    }
  }

  /** The model: the engine ({@code f2p.engine}). */
  public static class Engine {
    /** The provider: djl (f2p-engine-djl, in process) or remote (f2p-engine-remote). */
    private @Nullable String type;
    /** djl: the signed model bundle directory (required). */
    private @Nullable String bundle;
    /** djl: PEM public key files; with any, a signature is required. */
    private List<String> trustedKeys = new ArrayList<>();
    /** djl: refuse an unsigned bundle; default true when keys are set. */
    private @Nullable Boolean requireSignature;
    /** djl: the environment variable holding the AES-256 key of encrypted components. */
    private @Nullable String keyEnv;
    /** djl: a file holding that key (mode 600). */
    private @Nullable String keyFile;
    /** djl: cpu or gpuN; default every GPU, else the CPU. */
    private @Nullable String device;
    /** djl: fail at load when no GPU is present. */
    private Boolean requireGpu = false;
    /** djl: requests in flight per device; with the devices, the capacity the resource guard is sized from. */
    private @Nullable Integer predictorsPerDevice;
    /** djl: how often the bundle is re-verified; 0s turns it off. */
    private Duration integrityInterval = Duration.ofMinutes(5);
    /** remote: openai, oip-rest or oip-grpc (required). */
    private @Nullable String protocol;
    /** remote: base addresses, each optionally *capacity (required). */
    private List<String> endpoints = new ArrayList<>();
    /** remote: the model name the servers must serve (required). */
    private @Nullable String model;
    /** remote: the OIP model version to pin. */
    private @Nullable String modelVersion;
    /** remote: PEM file of the only CA trusted. */
    private @Nullable String trustedCa;
    /** remote: PEM client certificate for mTLS. */
    private @Nullable String clientCertificate;
    /** remote: PEM client key for mTLS (PKCS#8, mode 600). */
    private @Nullable String clientKey;
    /** remote: the environment variable holding the bearer token. */
    private @Nullable String bearerTokenEnv;
    /** remote: the file holding the bearer token. */
    private @Nullable String bearerTokenFile;
    /** remote: allow http on loopback. */
    private Boolean allowPlaintextLoopback = false;
    /** remote: longest call. */
    private Duration callTimeout = Duration.ofSeconds(300);
    /** remote: longest connect. */
    private Duration connectTimeout = Duration.ofSeconds(2);
    /** remote: how often endpoints are probed. */
    private Duration healthInterval = Duration.ofSeconds(5);
    /** remote: longest probe. */
    private Duration probeTimeout = Duration.ofSeconds(2);
    /** remote: failures that open an endpoint's breaker. */
    private Integer breakerThreshold = 3;
    /** remote: how long a breaker stays open. */
    private Duration breakerOpenFor = Duration.ofSeconds(10);
    /** remote: largest answer read. */
    private Long maxAnswerBytes = 33554432L;
    /** remote: Retry-After when every endpoint is busy. */
    private Duration overloadedRetryAfter = Duration.ofSeconds(1);
    /** remote: OIP REST with Triton's binary extension. */
    private Boolean binaryTensors = true;
    /** remote: I/O threads. */
    private Integer ioThreads = 4;

    /** @return type */
    public @Nullable String getType() {
      return type;
    }

    /** @param type type */
    public void setType(@Nullable String type) {
      this.type = type;
    }

    /** @return bundle */
    public @Nullable String getBundle() {
      return bundle;
    }

    /** @param bundle bundle */
    public void setBundle(@Nullable String bundle) {
      this.bundle = bundle;
    }

    /** @return trusted-keys */
    public List<String> getTrustedKeys() {
      return trustedKeys;
    }

    /** @param trustedKeys trusted-keys */
    public void setTrustedKeys(List<String> trustedKeys) {
      this.trustedKeys = trustedKeys;
    }

    /** @return require-signature */
    public @Nullable Boolean getRequireSignature() {
      return requireSignature;
    }

    /** @param requireSignature require-signature */
    public void setRequireSignature(@Nullable Boolean requireSignature) {
      this.requireSignature = requireSignature;
    }

    /** @return key-env */
    public @Nullable String getKeyEnv() {
      return keyEnv;
    }

    /** @param keyEnv key-env */
    public void setKeyEnv(@Nullable String keyEnv) {
      this.keyEnv = keyEnv;
    }

    /** @return key-file */
    public @Nullable String getKeyFile() {
      return keyFile;
    }

    /** @param keyFile key-file */
    public void setKeyFile(@Nullable String keyFile) {
      this.keyFile = keyFile;
    }

    /** @return device */
    public @Nullable String getDevice() {
      return device;
    }

    /** @param device device */
    public void setDevice(@Nullable String device) {
      this.device = device;
    }

    /** @return require-gpu */
    public Boolean getRequireGpu() {
      return requireGpu;
    }

    /** @param requireGpu require-gpu */
    public void setRequireGpu(Boolean requireGpu) {
      this.requireGpu = requireGpu;
    }

    /** @return predictors-per-device */
    public @Nullable Integer getPredictorsPerDevice() {
      return predictorsPerDevice;
    }

    /** @param predictorsPerDevice predictors-per-device */
    public void setPredictorsPerDevice(@Nullable Integer predictorsPerDevice) {
      this.predictorsPerDevice = predictorsPerDevice;
    }

    /** @return integrity-interval */
    public Duration getIntegrityInterval() {
      return integrityInterval;
    }

    /** @param integrityInterval integrity-interval */
    public void setIntegrityInterval(Duration integrityInterval) {
      this.integrityInterval = integrityInterval;
    }

    /** @return protocol */
    public @Nullable String getProtocol() {
      return protocol;
    }

    /** @param protocol protocol */
    public void setProtocol(@Nullable String protocol) {
      this.protocol = protocol;
    }

    /** @return endpoints */
    public List<String> getEndpoints() {
      return endpoints;
    }

    /** @param endpoints endpoints */
    public void setEndpoints(List<String> endpoints) {
      this.endpoints = endpoints;
    }

    /** @return model */
    public @Nullable String getModel() {
      return model;
    }

    /** @param model model */
    public void setModel(@Nullable String model) {
      this.model = model;
    }

    /** @return model-version */
    public @Nullable String getModelVersion() {
      return modelVersion;
    }

    /** @param modelVersion model-version */
    public void setModelVersion(@Nullable String modelVersion) {
      this.modelVersion = modelVersion;
    }

    /** @return trusted-ca */
    public @Nullable String getTrustedCa() {
      return trustedCa;
    }

    /** @param trustedCa trusted-ca */
    public void setTrustedCa(@Nullable String trustedCa) {
      this.trustedCa = trustedCa;
    }

    /** @return client-certificate */
    public @Nullable String getClientCertificate() {
      return clientCertificate;
    }

    /** @param clientCertificate client-certificate */
    public void setClientCertificate(@Nullable String clientCertificate) {
      this.clientCertificate = clientCertificate;
    }

    /** @return client-key */
    public @Nullable String getClientKey() {
      return clientKey;
    }

    /** @param clientKey client-key */
    public void setClientKey(@Nullable String clientKey) {
      this.clientKey = clientKey;
    }

    /** @return bearer-token-env */
    public @Nullable String getBearerTokenEnv() {
      return bearerTokenEnv;
    }

    /** @param bearerTokenEnv bearer-token-env */
    public void setBearerTokenEnv(@Nullable String bearerTokenEnv) {
      this.bearerTokenEnv = bearerTokenEnv;
    }

    /** @return bearer-token-file */
    public @Nullable String getBearerTokenFile() {
      return bearerTokenFile;
    }

    /** @param bearerTokenFile bearer-token-file */
    public void setBearerTokenFile(@Nullable String bearerTokenFile) {
      this.bearerTokenFile = bearerTokenFile;
    }

    /** @return allow-plaintext-loopback */
    public Boolean getAllowPlaintextLoopback() {
      return allowPlaintextLoopback;
    }

    /** @param allowPlaintextLoopback allow-plaintext-loopback */
    public void setAllowPlaintextLoopback(Boolean allowPlaintextLoopback) {
      this.allowPlaintextLoopback = allowPlaintextLoopback;
    }

    /** @return call-timeout */
    public Duration getCallTimeout() {
      return callTimeout;
    }

    /** @param callTimeout call-timeout */
    public void setCallTimeout(Duration callTimeout) {
      this.callTimeout = callTimeout;
    }

    /** @return connect-timeout */
    public Duration getConnectTimeout() {
      return connectTimeout;
    }

    /** @param connectTimeout connect-timeout */
    public void setConnectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
    }

    /** @return health-interval */
    public Duration getHealthInterval() {
      return healthInterval;
    }

    /** @param healthInterval health-interval */
    public void setHealthInterval(Duration healthInterval) {
      this.healthInterval = healthInterval;
    }

    /** @return probe-timeout */
    public Duration getProbeTimeout() {
      return probeTimeout;
    }

    /** @param probeTimeout probe-timeout */
    public void setProbeTimeout(Duration probeTimeout) {
      this.probeTimeout = probeTimeout;
    }

    /** @return breaker-threshold */
    public Integer getBreakerThreshold() {
      return breakerThreshold;
    }

    /** @param breakerThreshold breaker-threshold */
    public void setBreakerThreshold(Integer breakerThreshold) {
      this.breakerThreshold = breakerThreshold;
    }

    /** @return breaker-open-for */
    public Duration getBreakerOpenFor() {
      return breakerOpenFor;
    }

    /** @param breakerOpenFor breaker-open-for */
    public void setBreakerOpenFor(Duration breakerOpenFor) {
      this.breakerOpenFor = breakerOpenFor;
    }

    /** @return max-answer-bytes */
    public Long getMaxAnswerBytes() {
      return maxAnswerBytes;
    }

    /** @param maxAnswerBytes max-answer-bytes */
    public void setMaxAnswerBytes(Long maxAnswerBytes) {
      this.maxAnswerBytes = maxAnswerBytes;
    }

    /** @return overloaded-retry-after */
    public Duration getOverloadedRetryAfter() {
      return overloadedRetryAfter;
    }

    /** @param overloadedRetryAfter overloaded-retry-after */
    public void setOverloadedRetryAfter(Duration overloadedRetryAfter) {
      this.overloadedRetryAfter = overloadedRetryAfter;
    }

    /** @return binary-tensors */
    public Boolean getBinaryTensors() {
      return binaryTensors;
    }

    /** @param binaryTensors binary-tensors */
    public void setBinaryTensors(Boolean binaryTensors) {
      this.binaryTensors = binaryTensors;
    }

    /** @return io-threads */
    public Integer getIoThreads() {
      return ioThreads;
    }

    /** @param ioThreads io-threads */
    public void setIoThreads(Integer ioThreads) {
      this.ioThreads = ioThreads;
    }
  }

  /** The visible AI-generated label ({@code provenance}). */
  public static class Label {
    /** The label's lines, separated by |. */
    private String text = "AI生成|AI-generated";
    /** top-left, top-right, bottom-left or bottom-right. */
    private String corner = "bottom-right";

    /** @return text */
    public String getText() {
      return text;
    }

    /** @param text text */
    public void setText(String text) {
      this.text = text;
    }

    /** @return corner */
    public String getCorner() {
      return corner;
    }

    /** @param corner corner */
    public void setCorner(String corner) {
      this.corner = corner;
    }
  }

  /** The invisible watermark ({@code provenance}). */
  public static class Watermark {
    /** Whether outputs carry it. */
    private Boolean enabled = true;
    /** 0.5 to 2.0. */
    private Double strength = 1.0;
    /** Refuse an output the watermark cannot be read back from. */
    private Boolean failClosed = true;
    /** The secret itself (at least 16 bytes); prefer key-env. */
    private @Nullable String key;
    /** The environment variable holding the secret. */
    private @Nullable String keyEnv;

    /** @return enabled */
    public Boolean getEnabled() {
      return enabled;
    }

    /** @param enabled enabled */
    public void setEnabled(Boolean enabled) {
      this.enabled = enabled;
    }

    /** @return strength */
    public Double getStrength() {
      return strength;
    }

    /** @param strength strength */
    public void setStrength(Double strength) {
      this.strength = strength;
    }

    /** @return fail-closed */
    public Boolean getFailClosed() {
      return failClosed;
    }

    /** @param failClosed fail-closed */
    public void setFailClosed(Boolean failClosed) {
      this.failClosed = failClosed;
    }

    /** @return key */
    public @Nullable String getKey() {
      return key;
    }

    /** @param key key */
    public void setKey(@Nullable String key) {
      this.key = key;
    }

    /** @return key-env */
    public @Nullable String getKeyEnv() {
      return keyEnv;
    }

    /** @param keyEnv key-env */
    public void setKeyEnv(@Nullable String keyEnv) {
      this.keyEnv = keyEnv;
    }
  }

  /** The settings every output policy the library ships reads (provenance, pdq, nsfw). */
  public static class OutputCheck extends DecoratorCheck {
    /** The provider: provenance (f2p-provenance), pdq (f2p-pdq), nsfw (f2p-moderation) or another on the class path. */
    private @Nullable String type;
    /** provenance: the ContentProducer (required). */
    private @Nullable String producer;
    /** provenance: the ContentPropagator. */
    private @Nullable String propagator;
    /** provenance: the visible label. */
    private final Label label = new Label();
    /** provenance: png or jpeg. */
    private String format = "png";
    /** provenance: 50 to 100. */
    private Integer jpegQuality = 90;
    /** provenance: the invisible watermark. */
    private final Watermark watermark = new Watermark();

    /** @return type */
    public @Nullable String getType() {
      return type;
    }

    /** @param type type */
    public void setType(@Nullable String type) {
      this.type = type;
    }

    /** @return producer */
    public @Nullable String getProducer() {
      return producer;
    }

    /** @param producer producer */
    public void setProducer(@Nullable String producer) {
      this.producer = producer;
    }

    /** @return propagator */
    public @Nullable String getPropagator() {
      return propagator;
    }

    /** @param propagator propagator */
    public void setPropagator(@Nullable String propagator) {
      this.propagator = propagator;
    }

    /** @return label */
    public Label getLabel() {
      return label;
    }

    /** @return format */
    public String getFormat() {
      return format;
    }

    /** @param format format */
    public void setFormat(String format) {
      this.format = format;
    }

    /** @return jpeg-quality */
    public Integer getJpegQuality() {
      return jpegQuality;
    }

    /** @param jpegQuality jpeg-quality */
    public void setJpegQuality(Integer jpegQuality) {
      this.jpegQuality = jpegQuality;
    }

    /** @return watermark */
    public Watermark getWatermark() {
      return watermark;
    }
  }

  /** The output policy a {@code pdq} or {@code nsfw} policy hands what passes to, with its settings. */
  public static class OutputPolicyDelegate extends OutputCheck {
    /** Its own delegate, when it decorates too (nsfw over pdq over provenance). */
    private final OutputCheck delegate = new OutputCheck();

    /** @return delegate */
    public OutputCheck getDelegate() {
      return delegate;
    }
  }

  /** What leaves: the output policy ({@code f2p.output-policy}). */
  public static class OutputPolicy extends OutputCheck {
    /** pdq, nsfw: the policy that labels and encodes what passes; default plain PNG. */
    private final OutputPolicyDelegate delegate = new OutputPolicyDelegate();

    /** @return delegate */
    public OutputPolicyDelegate getDelegate() {
      return delegate;
    }
  }

  /** The security log ({@code slf4j} listener, f2p-security). */
  public static class Slf4jListener {
    /** The logger name. */
    private String logger = "f2p.security";
    /** Log a keyed fingerprint of each prompt. */
    private Boolean promptFingerprints = true;
    /** False lets the client build without an SLF4J provider. */
    private Boolean requireProvider = true;

    /** @return logger */
    public String getLogger() {
      return logger;
    }

    /** @param logger logger */
    public void setLogger(String logger) {
      this.logger = logger;
    }

    /** @return prompt-fingerprints */
    public Boolean getPromptFingerprints() {
      return promptFingerprints;
    }

    /** @param promptFingerprints prompt-fingerprints */
    public void setPromptFingerprints(Boolean promptFingerprints) {
      this.promptFingerprints = promptFingerprints;
    }

    /** @return require-provider */
    public Boolean getRequireProvider() {
      return requireProvider;
    }

    /** @param requireProvider require-provider */
    public void setRequireProvider(Boolean requireProvider) {
      this.requireProvider = requireProvider;
    }
  }

  /** Security metrics ({@code micrometer} listener, f2p-metrics). */
  public static class MicrometerListener {
    /** global or simple; the starter binds the application's registry instead. */
    private String registry = "global";

    /** @return registry */
    public String getRegistry() {
      return registry;
    }

    /** @param registry registry */
    public void setRegistry(String registry) {
      this.registry = registry;
    }
  }

  /** The settings of each listener {@code f2p.listeners} lists, under its name. */
  public static class Listeners {
    /** slf4j: the security log. */
    private final Slf4jListener slf4j = new Slf4jListener();
    /** micrometer: security metrics. */
    private final MicrometerListener micrometer = new MicrometerListener();

    /** @return slf4j */
    public Slf4jListener getSlf4j() {
      return slf4j;
    }

    /** @return micrometer */
    public MicrometerListener getMicrometer() {
      return micrometer;
    }
  }

  /** The settings of the decorators the library ships for inputs and outputs alike: {@code pdq} (f2p-pdq) and {@code nsfw} (f2p-moderation). */
  public static class DecoratorCheck {
    /** pdq: the hash list (hash<TAB>label lines); without it pictures are only fingerprinted. */
    private @Nullable String list;
    /** pdq: the largest Hamming distance that matches (0..63). */
    private Integer maxDistance = 31;
    /** pdq: most list entries. */
    private Integer maxEntries = 2000000;
    /** pdq: match rotated and mirrored pictures too. */
    private Boolean dihedral = true;
    /** pdq: re-read the list when it changes, this often (at least 1s). */
    private @Nullable Duration reload;
    /** nsfw: refuse Porn or Hentai at or above this probability. */
    private Double threshold = 0.5;
    /** nsfw: refuse Sexy at or above this probability; off never refuses for Sexy alone. */
    private String sexyThreshold = "0.9";
    /** nsfw: a classifier model file instead of the bundled one (with model-sha256). */
    private @Nullable String model;
    /** nsfw: the model file's SHA-256. */
    private @Nullable String modelSha256;
    /** nsfw: classifications at once. */
    private Integer predictors = 2;
    /** nsfw: longest wait for a free predictor. */
    private Duration maxWait = Duration.ofSeconds(10);

    /** @return list */
    public @Nullable String getList() {
      return list;
    }

    /** @param list list */
    public void setList(@Nullable String list) {
      this.list = list;
    }

    /** @return max-distance */
    public Integer getMaxDistance() {
      return maxDistance;
    }

    /** @param maxDistance max-distance */
    public void setMaxDistance(Integer maxDistance) {
      this.maxDistance = maxDistance;
    }

    /** @return max-entries */
    public Integer getMaxEntries() {
      return maxEntries;
    }

    /** @param maxEntries max-entries */
    public void setMaxEntries(Integer maxEntries) {
      this.maxEntries = maxEntries;
    }

    /** @return dihedral */
    public Boolean getDihedral() {
      return dihedral;
    }

    /** @param dihedral dihedral */
    public void setDihedral(Boolean dihedral) {
      this.dihedral = dihedral;
    }

    /** @return reload */
    public @Nullable Duration getReload() {
      return reload;
    }

    /** @param reload reload */
    public void setReload(@Nullable Duration reload) {
      this.reload = reload;
    }

    /** @return threshold */
    public Double getThreshold() {
      return threshold;
    }

    /** @param threshold threshold */
    public void setThreshold(Double threshold) {
      this.threshold = threshold;
    }

    /** @return sexy-threshold */
    public String getSexyThreshold() {
      return sexyThreshold;
    }

    /** @param sexyThreshold sexy-threshold */
    public void setSexyThreshold(String sexyThreshold) {
      this.sexyThreshold = sexyThreshold;
    }

    /** @return model */
    public @Nullable String getModel() {
      return model;
    }

    /** @param model model */
    public void setModel(@Nullable String model) {
      this.model = model;
    }

    /** @return model-sha256 */
    public @Nullable String getModelSha256() {
      return modelSha256;
    }

    /** @param modelSha256 model-sha256 */
    public void setModelSha256(@Nullable String modelSha256) {
      this.modelSha256 = modelSha256;
    }

    /** @return predictors */
    public Integer getPredictors() {
      return predictors;
    }

    /** @param predictors predictors */
    public void setPredictors(Integer predictors) {
      this.predictors = predictors;
    }

    /** @return max-wait */
    public Duration getMaxWait() {
      return maxWait;
    }

    /** @param maxWait max-wait */
    public void setMaxWait(Duration maxWait) {
      this.maxWait = maxWait;
    }
  }
  /** How callers' addresses are keyed for limits, lockouts and blocks. */
  public static class ClientAddress {
    /** IPv6 callers are keyed by this prefix length (1..128); unset: the library's default, /64. */
    private @Nullable Integer ipv6Prefix;

    /** @return the IPv6 prefix length; null for the library's default */
    public @Nullable Integer getIpv6Prefix() {
      return ipv6Prefix;
    }

    /** @param ipv6Prefix the IPv6 prefix length */
    public void setIpv6Prefix(@Nullable Integer ipv6Prefix) {
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
