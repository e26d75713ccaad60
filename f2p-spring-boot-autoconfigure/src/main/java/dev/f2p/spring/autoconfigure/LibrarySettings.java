package dev.f2p.spring.autoconfigure;

import dev.f2p.core.spi.PolicyProviders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the bound {@link F2pProperties} into the library's settings map. A single slot's keys are the
 * library's own names ({@code f2p.engine.type=djl}, {@code f2p.output-policy.delegate.type=provenance}), so
 * they pass through unchanged; list slots become the library's comma list with each entry's settings under
 * its type ({@code f2p.authorizers=roles,incident}, {@code f2p.authorizer.incident.file=...}). Stateless.
 */
final class LibrarySettings {
  static final String TYPE = PolicyProviders.TYPE;

  private LibrarySettings() {}

  /**
   * @param p the bound properties
   * @param hostSlots the single slots (library names: {@code engine}, {@code prompt-filter}, ...) the host
   *     filled with its own beans; their properties are left out
   * @return the library's settings, {@code f2p.} names
   * @throws IllegalStateException naming the property when a slot has settings but no type, or says one
   *     thing twice
   */
  static Map<String, String> of(F2pProperties p, Set<String> hostSlots) {
    Map<String, String> out = new LinkedHashMap<>();
    Map<String, Map<String, String>> single = new LinkedHashMap<>();
    single.put("authenticator", p.getAuthenticator());
    single.put("rate-limiter", p.getRateLimiter());
    single.put("prompt-filter", p.getPromptFilter());
    single.put("image-validator", p.getImageValidator());
    single.put("resource-guard", p.getResourceGuard());
    single.put("engine", p.getEngine());
    single.put("output-policy", p.getOutputPolicy());
    single.forEach((slot, settings) -> {
      if (!hostSlots.contains(slot) && !settings.isEmpty()) {
        put(out, "f2p." + slot, "f2p." + slot, settings);
      }
    });
    list(out, "authorizers", "authorizer", p.getAuthorizers());
    list(out, "listeners", "listener", p.getListeners());
    if (p.getClientAddress().getIpv6Prefix() != null) {
      out.put("f2p.client-address.ipv6-prefix", p.getClientAddress().getIpv6Prefix().toString());
    }
    return out;
  }

  private static void list(Map<String, String> out, String slot, String scope, List<Map<String, String>> entries) {
    List<String> types = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      String property = "f2p." + slot + "[" + i + "]";
      Map<String, String> entry = entries.get(i);
      String type = typeOf(property, entry);
      if (type.contains(",") || types.contains(type)) {
        throw new IllegalStateException(property + ".type must name a provider once: " + type);
      }
      types.add(type);
      Map<String, String> rest = new LinkedHashMap<>(entry);
      rest.remove(TYPE);
      if (!rest.isEmpty()) {
        put(out, property, "f2p." + scope + "." + type, rest);
      }
    }
    if (!types.isEmpty()) {
      out.put("f2p." + slot, String.join(",", types));
    }
  }

  /** Puts one slot's settings under {@code prefix}; {@code property} names the slot in messages. */
  private static void put(Map<String, String> out, String property, String prefix, Map<String, String> settings) {
    if (!settings.containsKey(TYPE) && prefix.equals(property)) {
      throw new IllegalStateException(property + ".type is required: name the provider ("
          + property + " has settings " + settings.keySet() + " but no type)");
    }
    for (Map.Entry<String, String> e : settings.entrySet()) {
      out.put(prefix + "." + e.getKey(), e.getValue());
    }
  }

  private static String typeOf(String property, Map<String, String> entry) {
    String type = entry.get(TYPE);
    if (type == null || type.isBlank()) {
      throw new IllegalStateException(property + ".type is required: name the provider");
    }
    return type.trim();
  }
}
