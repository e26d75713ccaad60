package dev.f2p.engine.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslateException;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.spi.EngineException;
import dev.f2p.core.spi.EngineRequest;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * A bundle's inference, from request to pixels, on one {@link Slot} with arrays in one request manager.
 * The two kinds: a single pass, and flow matching in the shape of Qwen-Image-Edit.
 */
public sealed interface ModelPipeline {
  BufferedImage run(Slot slot, NDManager m, EngineRequest request) throws EngineException, TranslateException;

  static ModelPipeline of(Manifest manifest, PromptEncoder prompts) {
    return switch (manifest.kind()) {
      case SINGLE_PASS -> new SinglePass(manifest, prompts);
      case FLOW_MATCHING -> new FlowMatching(manifest, prompts, new FlowMatchEulerScheduler(manifest.shift()));
    };
  }

  /** (image, prompt ids) to image in one forward pass of component {@code model}. */
  record SinglePass(Manifest manifest, PromptEncoder prompts) implements ModelPipeline {
    @Override
    public BufferedImage run(Slot slot, NDManager m, EngineRequest r) throws EngineException, TranslateException {
      int w = manifest.inputWidth();
      int h = manifest.inputHeight();
      NDArray image = m.create(ImageTensors.toPlanar(ImageTensors.rgb(r.image(), w, h), manifest.inputRange()),
          new Shape(1, 3, h, w));
      NDArray ids = m.create(prompts.encode(r.prompt()), new Shape(1, prompts.maxTokens()));
      NDArray out = slot.forward("model", new NDList(image, ids)).head();
      checkShape(out, new Shape(1, 3, h, w));
      BufferedImage result = ImageTensors.fromPlanar(out.toFloatArray(), w, h, manifest.outputRange());
      r.progress().onStep(1, 1);
      return result;
    }
  }

  /**
   * tokenizer, text encoder (prompt and negative prompt), VAE encoder for the input, {@code steps} Euler
   * steps over the denoiser with classifier-free guidance from seeded noise, VAE decoder.
   */
  record FlowMatching(Manifest manifest, PromptEncoder prompts, FlowMatchEulerScheduler scheduler)
      implements ModelPipeline {
    @Override
    public BufferedImage run(Slot slot, NDManager m, EngineRequest r) throws EngineException, TranslateException {
      int w = manifest.inputWidth();
      int h = manifest.inputHeight();
      Shape ids = new Shape(1, prompts.maxTokens());
      NDArray cond = slot.forward("text_encoder", new NDList(m.create(prompts.encode(r.prompt()), ids))).head();
      NDArray uncond =
          slot.forward("text_encoder", new NDList(m.create(prompts.encode(r.negativePrompt()), ids))).head();
      NDArray image = m.create(ImageTensors.toPlanar(ImageTensors.rgb(r.image(), w, h), manifest.inputRange()),
          new Shape(1, 3, h, w));
      NDArray imageLatent = slot.forward("vae_encoder", new NDList(image)).head();
      Shape latentShape = new Shape(1, manifest.latentChannels(), h / manifest.latentScale(),
          w / manifest.latentScale());
      checkShape(imageLatent, latentShape);
      float[] x = noise(r.seed(), (int) latentShape.size());
      double[] sigmas = scheduler.sigmas(r.steps());
      for (int i = 0; i < r.steps(); i++) {
        if (r.isPastDeadline()) {
          throw new EngineException(ReasonCode.TIMEOUT, "stopped after " + i + " of " + r.steps() + " steps");
        }
        // Each step's arrays live in their own scope, so a long run holds one step's memory, not all.
        try (NDManager step = m.newSubManager()) {
          NDArray latent = step.create(x, latentShape);
          NDArray t = step.create(new float[] {(float) sigmas[i]}, new Shape(1));
          float[] vc = slot.forward("denoiser", new NDList(latent, t, cond, imageLatent)).head().toFloatArray();
          float[] vu = slot.forward("denoiser", new NDList(latent, t, uncond, imageLatent)).head().toFloatArray();
          FlowMatchEulerScheduler.step(x, vc, vu, r.guidanceScale(), sigmas[i], sigmas[i + 1]);
        }
        r.progress().onStep(i + 1, r.steps());
      }
      NDArray decoded = slot.forward("vae_decoder", new NDList(m.create(x, latentShape))).head();
      checkShape(decoded, new Shape(1, 3, h, w));
      return ImageTensors.fromPlanar(decoded.toFloatArray(), w, h, manifest.outputRange());
    }

    /** Gaussian noise from the seed alone: the same on every device and every run. */
    static float[] noise(long seed, int n) {
      SplittableRandom random = new SplittableRandom(seed);
      float[] out = new float[n];
      for (int i = 0; i < n; i++) {
        out[i] = (float) random.nextGaussian();
      }
      return out;
    }
  }

  private static void checkShape(NDArray array, Shape expected) throws EngineException {
    if (!array.getShape().equals(expected)) {
      throw new EngineException(ReasonCode.ENGINE_FAILURE,
          "model returned shape " + array.getShape() + ", expected " + expected);
    }
  }
}
