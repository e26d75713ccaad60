package dev.f2p.engine.djl;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Run in a child JVM by {@link OfflineStartTest}: records every connection the JVM tries and makes it fail
 * (HTTP(S) at the URL protocol handler, other sockets through the default {@link ProxySelector} to a
 * closed loopback port), so the network is unreachable; then loads the engine and runs one request.
 */
public final class OfflineLoadMain {
  private OfflineLoadMain() {}

  public static void main(String[] args) throws Exception {
    int closedPort = Integer.parseInt(args[1]);
    List<URI> attempts = new CopyOnWriteArrayList<>();
    ProxySelector.setDefault(new ProxySelector() {
      @Override
      public List<Proxy> select(URI uri) {
        attempts.add(uri);
        return List.of(new Proxy(Proxy.Type.SOCKS, new InetSocketAddress("127.0.0.1", closedPort)));
      }

      @Override
      public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
    });
    // DJL opens its tracking connections with Proxy.NO_PROXY, past any ProxySelector: catch every HTTP(S)
    // URL connection at the protocol handler, record it and fail it as an unreachable network would.
    URL.setURLStreamHandlerFactory(protocol -> !protocol.equals("http") && !protocol.equals("https") ? null
        : new URLStreamHandler() {
          @Override
          protected URLConnection openConnection(URL u) throws IOException {
            return openConnection(u, Proxy.NO_PROXY);
          }

          @Override
          protected URLConnection openConnection(URL u, Proxy p) throws IOException {
            attempts.add(URI.create(u.getProtocol() + "://" + u.getHost() + ":" + u.getPort()));
            throw new java.net.NoRouteToHostException("network unreachable (test): " + u.getHost());
          }
        });
    try (DjlImageEditEngine engine = DjlImageEditEngine.builder().bundle(Path.of(args[0]))
        .trustedKey(TestBundles.PUBLIC_KEY).integrityCheckEvery(Duration.ZERO).predictorsPerDevice(1).build()) {
      engine.edit(TestBundles.request("offline", 64, 1, 1));
      // The default-engine lookup is where DJL calls home; a host may well make it after the engine loaded.
      ai.djl.engine.Engine.getInstance();
      // DJL's usage tracking runs on a background thread: give it the time it would take, then report.
      Thread.sleep(Long.parseLong(args[2]));
      System.out.println("LOADED " + engine.modelId());
    }
    System.out.println("CONNECTIONS " + attempts);
  }
}
