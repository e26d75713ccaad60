package dev.f2p.spring.autoconfigure;

import dev.f2p.core.ImageEditClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * {@code POST /generate} on Spring MVC ({@code f2p.http.*}): admission on the headers before any body
 * byte is read. That needs the multipart body left unparsed until the controller asks for it, so this
 * refuses to start when {@code spring.servlet.multipart.resolve-lazily} is set to false (the starter
 * makes it true by default). Errors the server raises itself are problem+json too ({@link ProblemErrorController}).
 */
@AutoConfiguration(after = F2pAutoConfiguration.class,
    beforeName = "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnProperty(prefix = "f2p.http", name = "enabled", matchIfMissing = true)
public class F2pWebAutoConfiguration {
  /** Creates the auto-configuration; Spring calls it. */
  public F2pWebAutoConfiguration() {}

  @Bean
  @ConditionalOnBean(ImageEditClient.class)
  HeaderAdmission f2pHeaderAdmission(ImageEditClient client) {
    return new HeaderAdmission(client);
  }

  /** The tracing bridge's API type: with a bean of it, every request is traced. */
  static final String TRACER = "io.micrometer.tracing.Tracer";
  /** Right after Boot's server observation filter ({@code HIGHEST_PRECEDENCE + 1}), inside the request's span. */
  static final int AFTER_SERVER_OBSERVATION = Ordered.HIGHEST_PRECEDENCE + 2;

  /**
   * The header admission as the first filter on the path: before the dispatcher and every other filter,
   * so a refusal costs one admission and one small write. With a tracing bridge (a {@value #TRACER} bean)
   * it runs just inside Boot's server observation instead, so a refusal belongs to the request's trace and
   * the security log writes it with the trace id in the MDC, as it writes an admitted edit's events.
   */
  @Bean
  @ConditionalOnBean(ImageEditClient.class)
  FilterRegistrationBean<HeaderAdmission> f2pHeaderAdmissionFilter(HeaderAdmission admission, F2pProperties properties,
      ListableBeanFactory beans) {
    FilterRegistrationBean<HeaderAdmission> r = new FilterRegistrationBean<>(admission);
    r.addUrlPatterns(properties.getHttp().getPath());
    r.setOrder(traced(beans) ? AFTER_SERVER_OBSERVATION : Ordered.HIGHEST_PRECEDENCE);
    r.setName("f2pHeaderAdmission");
    return r;
  }

  /** Whether the application has a tracer bean (by its definition: nothing is created to ask). */
  static boolean traced(ListableBeanFactory beans) {
    ClassLoader loader = F2pWebAutoConfiguration.class.getClassLoader();
    return ClassUtils.isPresent(TRACER, loader)
        && beans.getBeanNamesForType(ClassUtils.resolveClassName(TRACER, loader), true, false).length > 0;
  }

  @Bean
  @ConditionalOnBean(ImageEditClient.class)
  GenerateController f2pGenerateController(HeaderAdmission admission, F2pProperties properties, Environment env) {
    if (!env.getProperty(F2pDefaults.RESOLVE_LAZILY, Boolean.class, false)) {
      throw new IllegalStateException(F2pDefaults.RESOLVE_LAZILY + " must be true for " + properties.getHttp().getPath()
          + ": an eager multipart resolver reads the whole body before the caller is admitted (or set f2p.http.enabled=false)");
    }
    return new GenerateController(admission, properties.getHttp().getMaxBody().toBytes());
  }

  /** Tomcat's own error reports (before any servlet runs) as problem+json too. */
  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.tomcat.TomcatContextCustomizer")
  static class TomcatErrors {
    @Bean
    org.springframework.boot.tomcat.TomcatContextCustomizer f2pProblemErrorReports() {
      return context -> ((org.apache.catalina.core.StandardHost) context.getParent())
          .setErrorReportValveClass(ProblemErrorReportValve.class.getName());
    }
  }

  /** Errors the server raises itself as problem+json, unless the host has its own error controller. */
  @Bean
  @ConditionalOnMissingBean(org.springframework.boot.webmvc.error.ErrorController.class)
  ProblemErrorController f2pProblemErrorController() {
    return new ProblemErrorController();
  }
}
