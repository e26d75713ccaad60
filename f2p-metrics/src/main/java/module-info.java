/** Optional Micrometer metrics for security events and the resource guard's metrics view. */
module dev.f2p.metrics {
  requires transitive dev.f2p.core;
  requires transitive micrometer.core;
  requires static org.jspecify;

  exports dev.f2p.metrics;

  provides dev.f2p.core.spi.SecurityEventListenerProvider with dev.f2p.metrics.MicrometerSecurityMetricsProvider;
}
