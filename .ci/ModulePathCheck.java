import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Proves the published jars work on the module path, as a host's {@code java -p} would load them (the build
 * compiles them there; the tests run on the class path). Run by {@code .ci/check-module-path}:
 * {@code java ModulePathCheck.java ROOTS PATHS...} where ROOTS is a comma-separated list of our module names and
 * PATHS are jars or files holding a class path (Maven's {@code dependency:build-classpath} output).
 *
 * <p>It fails unless every root is an explicit module (a {@code module-info}, not an automatic module) that
 * resolves with its runtime dependencies and binds its services, exports {@code internal} packages only to
 * sibling {@code dev.f2p} modules, declares with {@code provides} every provider its {@code META-INF/services}
 * lists, and every provider it declares loads and instantiates through {@link ServiceLoader}. {@code dev.f2p.core} may require only APIs, never an implementation.
 */
public final class ModulePathCheck {

  /** What f2p-core may read: the JDK, and APIs whose implementations the host chooses. */
  private static final Set<String> CORE_MAY_REQUIRE =
      Set.of("java.base", "java.desktop", "org.slf4j", "jakarta.validation", "org.jspecify");

  public static void main(String[] args) throws Exception {
    List<String> roots = Arrays.asList(args[0].split(","));
    Set<Path> paths = new LinkedHashSet<>();
    for (String arg : Arrays.asList(args).subList(1, args.length)) {
      Path p = Path.of(arg);
      if (p.toString().endsWith(".jar")) {
        paths.add(p);
      } else {
        for (String entry : Files.readString(p).trim().split(java.io.File.pathSeparator)) {
          if (!entry.isBlank()) {
            paths.add(Path.of(entry));
          }
        }
      }
    }
    // A jar that cannot be a module (no valid name) stays on the class path, as a host would leave it.
    List<Path> modulePath = new ArrayList<>();
    for (Path p : paths) {
      try {
        ModuleFinder.of(p).findAll();
        modulePath.add(p);
      } catch (FindException e) {
        System.out.println("  class path only: " + p.getFileName() + " (" + e.getMessage() + ")");
      }
    }
    ModuleFinder finder = ModuleFinder.of(modulePath.toArray(Path[]::new));
    Configuration cf = ModuleLayer.boot().configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
    ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getSystemClassLoader());

    List<String> failures = new ArrayList<>();
    for (String root : roots) {
      ModuleReference ref = finder.find(root).orElseThrow();
      ModuleDescriptor d = ref.descriptor();
      if (d.isAutomatic()) {
        failures.add(root + " is an automatic module: it has no module-info");
        continue;
      }
      StringBuilder line = new StringBuilder(root + ": exports ");
      for (ModuleDescriptor.Exports e : new TreeSet<>(d.exports())) {
        line.append(e.source());
        if (e.isQualified()) {
          line.append(" to ").append(String.join(",", new TreeSet<>(e.targets())));
        }
        line.append("; ");
        if (e.source().contains(".internal") || !e.source().startsWith("dev.f2p.")) {
          if (!e.isQualified()) {
            failures.add(root + " exports " + e.source() + " to everyone");
          } else if (!e.targets().stream().allMatch(t -> t.startsWith("dev.f2p."))) {
            failures.add(root + " exports " + e.source() + " outside the library: " + e.targets());
          }
        }
      }
      System.out.println("  " + line);
      if (root.equals("dev.f2p.core")) {
        Set<String> extra = d.requires().stream().map(ModuleDescriptor.Requires::name)
            .filter(n -> !CORE_MAY_REQUIRE.contains(n)).collect(Collectors.toCollection(TreeSet::new));
        if (!extra.isEmpty()) {
          failures.add("dev.f2p.core requires " + extra + ", not only APIs " + CORE_MAY_REQUIRE);
        }
      }
      // A provider listed in META-INF/services but not declared with `provides` would vanish on the module path.
      try (java.lang.module.ModuleReader reader = ref.open()) {
        for (String entry : reader.list().filter(n -> n.startsWith("META-INF/services/") && !n.endsWith("/"))
            .collect(Collectors.toList())) {
          String service = entry.substring("META-INF/services/".length());
          String listed;
          try (java.io.InputStream in = reader.open(entry).orElseThrow()) {
            listed = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
          }
          for (String provider : listed.lines().map(l -> l.replaceAll("#.*", "").trim()).filter(l -> !l.isEmpty())
              .collect(Collectors.toList())) {
            boolean declared = d.provides().stream()
                .anyMatch(p -> p.service().equals(service) && p.providers().contains(provider));
            if (!declared) {
              failures.add(root + ": " + entry + " lists " + provider + ", module-info does not provide it");
            }
          }
        }
      }
      // Every declared provider loads and instantiates on the module path.
      ClassLoader loader = layer.findLoader(root);
      for (ModuleDescriptor.Provides p : d.provides()) {
        Class<?> service = Class.forName(p.service(), false, loader);
        Set<String> found = ServiceLoader.load(layer, service).stream()
            .filter(s -> s.type().getModule().getName().equals(root))
            .map(s -> {
              s.get();
              return s.type().getName();
            })
            .collect(Collectors.toSet());
        for (String provider : p.providers()) {
          if (!found.contains(provider)) {
            failures.add(root + ": provider " + provider + " of " + p.service() + " not loaded");
          }
        }
      }
    }
    System.out.println("  resolved " + cf.modules().size() + " modules on the module path for " + roots.size()
        + " library modules");
    if (!failures.isEmpty()) {
      failures.forEach(f -> System.err.println("module path: " + f));
      System.exit(1);
    }
  }

  private ModulePathCheck() {}
}
