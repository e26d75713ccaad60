package dev.f2p.engine.remote;

import java.util.Locale;

/** How the engine talks to its model servers. */
public enum Protocol {
  /** The OpenAI images edit API, {@code POST /v1/images/edits} as multipart form data (vLLM-Omni, hosted). */
  OPENAI("openai"),
  /** The Open Inference Protocol v2 over REST (Triton, KServe, MLServer), JSON or Triton's binary tensors. */
  OIP_REST("oip-rest"),
  /** The Open Inference Protocol v2 over gRPC ({@code inference.GRPCInferenceService}). */
  OIP_GRPC("oip-grpc");

  private final String settingName;

  Protocol(String settingName) {
    this.settingName = settingName;
  }

  /**
   * The name settings use for this protocol.
   *
   * @return {@code openai}, {@code oip-rest} or {@code oip-grpc}
   */
  public String settingName() {
    return settingName;
  }

  /**
   * The protocol a setting names.
   *
   * @param name {@code openai}, {@code oip-rest} or {@code oip-grpc}, in any case
   * @return the protocol
   * @throws IllegalArgumentException naming the value when it is none of those
   */
  public static Protocol fromSetting(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (Protocol p : values()) {
      if (p.settingName.equals(n)) {
        return p;
      }
    }
    throw new IllegalArgumentException("protocol must be openai, oip-rest or oip-grpc: " + name);
  }
}
