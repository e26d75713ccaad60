package dev.f2p.engine.djl.internal;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.TranslateException;
import java.util.Map;

/**
 * One set of predictors (one per model component) on one device: what one request holds while it runs.
 * Not thread-safe: a slot is used by one request at a time, handed out by the engine's bounded pool.
 */
public final class Slot implements AutoCloseable {
  private final Device device;
  private final NDManager manager;
  private final Map<String, Predictor<NDList, NDList>> predictors;

  public Slot(Device device, NDManager manager, Map<String, Predictor<NDList, NDList>> predictors) {
    this.device = device;
    this.manager = manager;
    this.predictors = Map.copyOf(predictors);
  }

  public Device device() {
    return device;
  }

  /** A manager for one request's arrays: close it and every array the request made is freed. */
  public NDManager newRequestManager() {
    return manager.newSubManager(device);
  }

  /** Runs component {@code name}; the outputs are attached to the inputs' request manager. */
  public NDList forward(String name, NDList inputs) throws TranslateException {
    Predictor<NDList, NDList> p = predictors.get(name);
    if (p == null) {
      throw new IllegalStateException("no predictor for component " + name);
    }
    NDManager owner = inputs.head().getManager();
    NDList out = p.predict(inputs);
    out.attach(owner);
    return out;
  }

  @Override
  public void close() {
    predictors.values().forEach(Predictor::close);
  }
}
