/**
 * A dependency-free sketch of the HTTP service, on the JDK's built-in {@code com.sun.net.httpserver} and the
 * library's public API only, for hosts without Spring: start it with
 * {@link dev.f2p.examples.http.HttpServiceMain}, or embed it with {@link dev.f2p.examples.http.HttpService}.
 * Not the production front: the JDK server closes connections over its cap on accept, answers some malformed
 * requests itself, and stalls answers without {@code -Dsun.net.httpserver.nodelay=true}. The service to run is
 * {@link dev.f2p.examples.service.GuardService} (Spring Boot, behind nginx); both answer the admin endpoints,
 * {@code /health} and {@code /metrics} through {@link dev.f2p.examples.http.AdminEndpoints}.
 */
@NullMarked
package dev.f2p.examples.http;

import org.jspecify.annotations.NullMarked;
