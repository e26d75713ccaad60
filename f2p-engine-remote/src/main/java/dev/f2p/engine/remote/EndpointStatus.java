package dev.f2p.engine.remote;

import java.time.Duration;

/**
 * One endpoint's health at a moment, for a health page or metrics. Immutable.
 *
 * @param name {@code host:port}
 * @param up whether requests go there now (ready, right model, circuit not open, not ejected)
 * @param inFlight requests in flight there now
 * @param capacity its declared capacity
 * @param ejections how many times it was taken out of rotation since the engine started
 * @param lastLatency how long its last successful edit took; zero before the first
 */
public record EndpointStatus(String name, boolean up, int inFlight, int capacity, long ejections,
    Duration lastLatency) {}
