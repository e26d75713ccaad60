package dev.f2p.engine.djl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GpuPackagingTest {
  private static final GpuPackaging.Probe NVIDIA = () -> true;
  private static final GpuPackaging.Probe NO_NVIDIA = () -> false;

  @Test
  void nvidiaDevicesWithACpuLibtorchWarnWithWhatToAdd() {
    assertThat(GpuPackaging.warning(NVIDIA, 0)).hasValueSatisfying(w -> assertThat(w)
        .contains("CPU build of libtorch")
        .contains("PYTORCH_LIBRARY_PATH")
        .contains("pytorch-native-cu124")
        .contains("docs/gpu.md"));
  }

  @Test
  void aLibtorchThatSeesTheGpusGivesNoWarning() {
    assertThat(GpuPackaging.warning(NVIDIA, 2)).isEmpty();
  }

  @Test
  void aMachineWithoutNvidiaDevicesGivesNoWarning() {
    assertThat(GpuPackaging.warning(NO_NVIDIA, 0)).isEmpty();
  }
}
