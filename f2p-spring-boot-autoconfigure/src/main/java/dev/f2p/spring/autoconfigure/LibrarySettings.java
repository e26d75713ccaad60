package dev.f2p.spring.autoconfigure;

import java.beans.PropertyDescriptor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;

/**
 * Writes the bound {@link F2pProperties} back as the library's settings map. The typed classes' names are
 * the library's ({@code f2p.engine.type}, {@code f2p.output-policy.delegate.type},
 * {@code f2p.authorizer.incident.file}), so this is one walk over them: a value still at the default a
 * fresh instance has is left out (the library's own default applies), lists become comma lists, maps
 * become one name per key. Names under {@code f2p} the typed classes do not have (a third-party
 * provider's settings, or a misspelling) are handed over from the property sources as they are, so the
 * library's check accepts the one and refuses the other. Stateless.
 */
final class LibrarySettings {
  /** Properties of {@link F2pProperties} that are not library settings. */
  private static final Set<String> NOT_SETTINGS = Set.of("http");
  /**
   * The scopes whose untyped names are handed over: the providers' own. Other {@code f2p.*} names (a
   * system property a tool sets, the front's {@code f2p.http}) are not the library's to judge.
   */
  private static final List<ConfigurationPropertyName> SCOPES = List.of("authenticator", "authorizer",
      "rate-limiter", "prompt-filter", "image-validator", "resource-guard", "engine", "output-policy", "listener",
      "redis").stream().map(s -> ConfigurationPropertyName.of("f2p." + s)).toList();

  private LibrarySettings() {}

  /**
   * @param p the bound properties
   * @param hostSlots the single slots (library names: {@code engine}, {@code prompt-filter}, ...) the host
   *     filled with its own beans; their properties are left out
   * @param sources where {@code p} was bound from, for the names it has no property for
   * @return the library's settings, {@code f2p.} names
   */
  static Map<String, String> of(F2pProperties p, Set<String> hostSlots, Iterable<ConfigurationPropertySource> sources) {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> typedNames = new ArrayList<>();
    walk(p, "f2p.", out, typedNames);
    List<ConfigurationPropertyName> typed = typedNames.stream().map(n -> ConfigurationPropertyName.adapt(n, '.')).toList();
    for (ConfigurationPropertySource source : sources) {
      if (source instanceof IterableConfigurationPropertySource iterable) {
        iterable.filter(name -> SCOPES.stream().anyMatch(s -> s.isAncestorOf(name))).stream()
            .filter(name -> typed.stream().noneMatch(t -> covers(t, name)))
            .forEach(name -> {
              ConfigurationProperty property = iterable.getConfigurationProperty(name);
              if (property != null && property.getValue() != null) {
                out.putIfAbsent(name.toString(), property.getValue().toString());
              }
            });
      }
    }
    out.keySet().removeIf(k -> hostSlots.stream().anyMatch(s -> k.startsWith("f2p." + s + ".")));
    return out;
  }

  /** Whether a typed property's name is, or holds, a bound name (canonical: dashes and case aside). */
  private static boolean covers(ConfigurationPropertyName typed, ConfigurationPropertyName name) {
    return typed.equals(name) || typed.isAncestorOf(name);
  }

  private static void walk(Object bean, String prefix, Map<String, String> out, List<String> typed) {
    Object fresh = fresh(bean.getClass());
    BeanWrapper w = new BeanWrapperImpl(bean);
    BeanWrapper defaults = new BeanWrapperImpl(fresh);
    for (PropertyDescriptor d : w.getPropertyDescriptors()) {
      String property = d.getName();
      if (d.getReadMethod() == null || property.equals("class") || (prefix.equals("f2p.") && NOT_SETTINGS.contains(property))) {
        continue;
      }
      String name = prefix + kebab(property);
      Object value = w.getPropertyValue(property);
      if (value == null || !isNested(value)) {
        typed.add(name); // a leaf, or a map: it covers every name under it
      }
      if (value == null) {
        continue;
      }
      if (isNested(value)) {
        walk(value, name + ".", out, typed);
      } else if (value instanceof Map<?, ?> map) {
        map.forEach((k, v) -> {
          if (v != null && isNested(v)) {
            walk(v, name + "." + k + ".", out, new ArrayList<>());
          } else if (v != null) {
            out.put(name + "." + k, text(v));
          }
        });
      } else if (!Objects.equals(value, defaults.getPropertyValue(property))) {
        if (!(value instanceof Collection<?> c) || !c.isEmpty()) {
          out.put(name, text(value));
        }
      }
    }
  }

  private static boolean isNested(Object value) {
    return value.getClass().getEnclosingClass() == F2pProperties.class;
  }

  private static String text(Object value) {
    return value instanceof Collection<?> c ? c.stream().map(String::valueOf).collect(Collectors.joining(","))
        : value.toString();
  }

  /** {@code maxTrackedAddresses} to {@code max-tracked-addresses}, as Boot names a JavaBean property. */
  static String kebab(String property) {
    StringBuilder b = new StringBuilder();
    for (char c : property.toCharArray()) {
      if (Character.isUpperCase(c)) {
        b.append('-').append(Character.toLowerCase(c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static Object fresh(Class<?> type) {
    try {
      return type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(type.getName() + " needs a public no-argument constructor", e);
    }
  }
}
