package dev.f2p.moderation.internal;

/**
 * Keeps DJL off the network before this module first touches it: no usage tracking (which otherwise calls
 * the cloud metadata address at start-up) and no downloads. A host that set either itself keeps its choice.
 */
public final class DjlPrivacy {
  private DjlPrivacy() {}

  /** Sets {@code ai.djl.offline} and {@code OPT_OUT_TRACKING} unless the host has set them. */
  public static synchronized void apply() {
    setUnlessHostChose("ai.djl.offline", "DJL_OFFLINE");
    setUnlessHostChose("OPT_OUT_TRACKING", "OPT_OUT_TRACKING");
  }

  private static void setUnlessHostChose(String property, String environment) {
    if (System.getProperty(property) == null && System.getenv(environment) == null) {
      System.setProperty(property, "true");
    }
  }
}
