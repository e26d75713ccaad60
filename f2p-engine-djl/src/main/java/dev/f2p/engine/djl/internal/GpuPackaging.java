package dev.f2p.engine.djl.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catches the commonest GPU packaging mistake: the machine has NVIDIA devices but the libtorch DJL loaded sees
 * none, because the host packaged the CPU natives ({@code pytorch-native-cpu}) or a CPU libtorch. The engine
 * then runs on the CPU, correctly but far slower; the warning says what to add. Stateless and thread-safe.
 */
public final class GpuPackaging {
  private static final Logger LOG = LoggerFactory.getLogger(GpuPackaging.class);

  /** Whether the machine has an NVIDIA device, whatever libtorch says. */
  @FunctionalInterface
  public interface Probe {
    /** {@return whether the NVIDIA driver reports at least one device} */
    boolean nvidiaDevicePresent();
  }

  /** The driver's view: a non-empty {@code /proc/driver/nvidia/gpus} or a {@code /dev/nvidia0} node. */
  public static final Probe SYSTEM = () -> hasEntries(Path.of("/proc/driver/nvidia/gpus"))
      || Files.exists(Path.of("/dev/nvidia0"));

  private GpuPackaging() {}

  /**
   * The warning for this machine, if there is one to give.
   *
   * @param probe what the machine has
   * @param libtorchGpus how many GPUs the loaded libtorch reports
   * @return the warning, or empty when the packaging matches the machine
   */
  public static Optional<String> warning(Probe probe, int libtorchGpus) {
    if (libtorchGpus > 0 || !probe.nvidiaDevicePresent()) {
      return Optional.empty();
    }
    return Optional.of("NVIDIA GPU(s) present but the loaded libtorch reports none: a CPU build of libtorch was"
        + " loaded, so the model runs on the CPU. Add CUDA natives instead of ai.djl.pytorch:pytorch-native-cpu"
        + " (a local CUDA libtorch through PYTORCH_LIBRARY_PATH, PYTORCH_VERSION and PYTORCH_FLAVOR, or"
        + " pytorch-native-cu124 with its pytorch-jni); see docs/gpu.md");
  }

  /**
   * Logs {@link #warning} at WARN when there is one.
   *
   * @param probe what the machine has
   * @param libtorchGpus how many GPUs the loaded libtorch reports
   */
  public static void warnIfMismatched(Probe probe, int libtorchGpus) {
    warning(probe, libtorchGpus).ifPresent(LOG::warn);
  }

  private static boolean hasEntries(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isPresent();
    } catch (IOException | SecurityException e) {
      return false;
    }
  }
}
