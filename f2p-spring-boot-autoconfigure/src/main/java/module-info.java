/**
 * Spring Boot auto-configuration of the guard. An open module: Spring instantiates, binds and proxies the
 * configuration classes reflectively. Spring's jars are automatic modules (their Automatic-Module-Name); the
 * optional parts (metrics, actuator, Spring MVC, the shipped policies) are {@code requires static}, as their
 * Maven dependencies are optional.
 */
open module dev.f2p.spring.autoconfigure {
  requires transitive dev.f2p.core;
  requires transitive spring.boot.autoconfigure;
  requires transitive spring.boot;
  requires transitive spring.context;
  requires spring.beans;
  requires spring.core;
  requires java.desktop; // java.beans, for reading the typed properties
  requires static micrometer.observation;
  requires static micrometer.commons;
  requires static dev.f2p.security;
  requires static dev.f2p.incident;
  requires static dev.f2p.metrics;
  requires static dev.f2p.redis;
  requires static micrometer.core;
  requires static spring.boot.health;
  requires static spring.boot.actuator;
  requires static spring.boot.micrometer.metrics;
  requires static spring.boot.webmvc;
  requires static spring.web;
  requires static spring.webmvc;
  // Tomcat carries the servlet API (jakarta.servlet) itself; the error valve is Tomcat-specific.
  requires static org.apache.tomcat.embed.core;
  requires static spring.boot.tomcat;
  requires static spring.boot.web.server;
  requires static org.jspecify;

  exports dev.f2p.spring.autoconfigure;
}
