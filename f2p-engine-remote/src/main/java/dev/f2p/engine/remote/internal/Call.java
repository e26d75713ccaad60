package dev.f2p.engine.remote.internal;

import java.time.Duration;

/**
 * One edit as the transports send it: the re-encoded PNG and the parameters.
 *
 * @param requestId the pipeline's request id (no personal data)
 * @param png the validated input, re-encoded as a PNG without metadata
 * @param prompt the filtered prompt
 * @param negativePrompt the filtered negative prompt; empty for none
 * @param width output width
 * @param height output height
 * @param steps inference steps
 * @param guidance guidance scale
 * @param seed noise seed
 * @param timeout what is left of the request's deadline when the call starts
 */
public record Call(String requestId, byte[] png, String prompt, String negativePrompt, int width, int height,
    int steps, double guidance, long seed, Duration timeout) {}
