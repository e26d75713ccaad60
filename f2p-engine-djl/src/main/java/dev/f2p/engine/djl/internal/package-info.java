/** Implementation of the DJL engine: bundle parsing, hashing, OMS, encryption, pipelines. Not API. */
@NullMarked
package dev.f2p.engine.djl.internal;

import org.jspecify.annotations.NullMarked;
