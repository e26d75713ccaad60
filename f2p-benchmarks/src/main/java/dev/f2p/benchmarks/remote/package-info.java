/** The remote engine: its overhead over a bare HTTP call, many requests across endpoints, ejection times. */
package dev.f2p.benchmarks.remote;
