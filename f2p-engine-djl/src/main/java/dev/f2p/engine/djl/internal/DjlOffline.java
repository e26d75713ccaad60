package dev.f2p.engine.djl.internal;

/**
 * Keeps DJL from the network before it is first touched: no usage tracking (which otherwise calls the
 * cloud metadata address on every start) and no downloads. A host that set either itself keeps its value.
 */
public final class DjlOffline {
  private DjlOffline() {}

  public static synchronized void configure() {
    if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("OPT_OUT_TRACKING") == null && System.getenv("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
  }
}
