/**
 * An HTTP service in the shape of the classic {@code POST /generate} + {@code X-API-Key} deployment, on the
 * JDK's built-in {@code com.sun.net.httpserver} and the library's public API only: start it with
 * {@link dev.f2p.examples.http.HttpServiceMain}, or embed it with {@link dev.f2p.examples.http.HttpService}.
 */
@NullMarked
package dev.f2p.examples.http;

import org.jspecify.annotations.NullMarked;
