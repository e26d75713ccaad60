/**
 * The remote engine: {@link dev.f2p.engine.remote.RemoteImageEditEngine} runs edits on the servers that host
 * the real model, over the OpenAI images edit API (vLLM-Omni, hosted providers) or the Open Inference
 * Protocol v2 (Triton, KServe) over REST or gRPC, spread over several endpoints with health checks, ejection
 * and a circuit breaker each. Answers are untrusted input: bounded, strictly checked, decoded only after.
 */
@NullMarked
package dev.f2p.engine.remote;

import org.jspecify.annotations.NullMarked;
