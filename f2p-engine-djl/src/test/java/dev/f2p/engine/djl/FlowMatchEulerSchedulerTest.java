package dev.f2p.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.f2p.engine.djl.internal.FlowMatchEulerScheduler;
import org.junit.jupiter.api.Test;

/** Reference values printed by {@code src/test/python/make_fixtures.py} (computed in Python, float64/float32). */
class FlowMatchEulerSchedulerTest {
  @Test
  void sigmasMatchTheReferenceWithoutShift() {
    assertThat(new FlowMatchEulerScheduler(1.0).sigmas(4)).containsExactly(new double[] {1.0, 0.75, 0.5, 0.25, 0.0},
        within(1e-12));
  }

  @Test
  void sigmasMatchTheReferenceWithShift() {
    assertThat(new FlowMatchEulerScheduler(3.0).sigmas(4)).containsExactly(new double[] {1.0, 0.9, 0.75, 0.5, 0.0},
        within(1e-12));
    assertThat(new FlowMatchEulerScheduler(3.0).sigmas(10)).containsExactly(new double[] {1.0, 0.9642857142857144,
        0.9230769230769231, 0.8749999999999999, 0.818181818181818, 0.75, 0.6666666666666667, 0.5625,
        0.4285714285714285, 0.24999999999999994, 0.0}, within(1e-12));
  }

  @Test
  void aGuidedEulerStepMatchesTheReferenceInFloat32() {
    float[] x = {0.5f, -1.0f, 2.0f};
    double[] s = new FlowMatchEulerScheduler(3.0).sigmas(4);
    FlowMatchEulerScheduler.step(x, new float[] {0.1f, 0.2f, -0.3f}, new float[] {0.0f, 0.4f, 0.1f}, 4.0, s[0], s[1]);
    assertThat(x).containsExactly(new float[] {0.46000000834465027f, -0.9599999785423279f, 2.1500000953674316f},
        within(1e-6f));
  }
}
