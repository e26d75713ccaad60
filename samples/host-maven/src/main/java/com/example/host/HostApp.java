package com.example.host;

import dev.f2p.core.EditRequest;
import dev.f2p.core.EditResult;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.spi.Authenticator;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A host's wiring: the policies from a settings file, the authenticator in code (an explicit setter wins
 * over the settings). Run with a settings file, an API key file and an image:
 * {@code java com.example.host.HostApp f2p.properties keys.properties face.png "a portrait"}.
 */
public final class HostApp {
  private HostApp() {}

  /** The client from the settings file, with the host's own authenticator. */
  public static ImageEditClient client(Path settings, Authenticator authenticator) {
    return ImageEditClient.builder().configure(settings).authenticator(authenticator).build();
  }

  public static void main(String[] args) throws Exception {
    Authenticator keys = dev.f2p.security.auth.ApiKeyAuthenticator.builder()
        .store(dev.f2p.security.auth.FileApiKeyStore.open(Path.of(args[1]))).build();
    try (ImageEditClient client = client(Path.of(args[0]), keys)) {
      EditResult result = client.edit(EditRequest.builder().apiKey(System.getenv("F2P_API_KEY"))
          .clientAddress("127.0.0.1").image(Files.readAllBytes(Path.of(args[2]))).prompt(args[3])
          .size(512, 512).steps(20).build());
      if (result instanceof EditResult.Success s) {
        Files.write(Path.of("result.png"), s.image());
        System.out.println("wrote result.png");
      } else if (result instanceof EditResult.Rejected r) {
        System.out.println(r.rejection().httpStatus() + " " + r.rejection().message());
      }
    }
  }
}
