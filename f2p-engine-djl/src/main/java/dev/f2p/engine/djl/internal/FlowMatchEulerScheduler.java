package dev.f2p.engine.djl.internal;

/**
 * The flow-matching Euler scheduler (the shape of diffusers' {@code FlowMatchEulerDiscreteScheduler} with a
 * static shift, as Qwen-Image uses): sigmas from 1 to 0, shifted by {@code s' = shift*s / (1 + (shift-1)*s)};
 * each step moves the latent along the guided velocity, {@code x += (sigma[i+1] - sigma[i]) * v}, with
 * classifier-free guidance {@code v = v_uncond + g * (v_cond - v_uncond)}. Plain Java on float arrays:
 * latents are small next to the denoiser's work. Immutable and thread-safe.
 */
public final class FlowMatchEulerScheduler {
  private final double shift;

  public FlowMatchEulerScheduler(double shift) {
    if (!(shift > 0) || Double.isInfinite(shift)) {
      throw new IllegalArgumentException("shift must be positive: " + shift);
    }
    this.shift = shift;
  }

  /** {@code steps + 1} sigmas from 1 down to 0. */
  public double[] sigmas(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be at least 1: " + steps);
    }
    double[] s = new double[steps + 1];
    for (int i = 0; i <= steps; i++) {
      double t = 1.0 - (double) i / steps;
      s[i] = shift * t / (1.0 + (shift - 1.0) * t);
    }
    return s;
  }

  /**
   * One guided Euler step, in place on {@code x}, computed in float32 as the model's tensors are.
   *
   * @param x the latent, updated
   * @param cond velocity with the prompt
   * @param uncond velocity with the negative (or empty) prompt
   * @param guidance the guidance scale; 1 means the conditional velocity alone
   * @param sigma the current sigma
   * @param nextSigma the next sigma
   */
  public static void step(float[] x, float[] cond, float[] uncond, double guidance, double sigma, double nextSigma) {
    if (x.length != cond.length || x.length != uncond.length) {
      throw new IllegalArgumentException("latent and velocities differ in size");
    }
    float g = (float) guidance;
    float dt = (float) (nextSigma - sigma);
    for (int i = 0; i < x.length; i++) {
      float v = uncond[i] + g * (cond[i] - uncond[i]);
      x[i] = x[i] + dt * v;
    }
  }
}
