package io.tierdns.node.cache;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;
import java.util.List;

/**
 * {@code tierdns.cache}: the caching-forwarder role. Knob names follow {@code CachePolicy}; the
 * operator names of BIND and Unbound for each are in {@code docs/configuration.md}. Unset knobs
 * keep the policy's defaults.
 */
@ConfigurationProperties("tierdns.cache")
public class CacheConfiguration {

  private String tier = "local";
  private List<String> upstreams = List.of();
  @Nullable private Duration minTtl;
  @Nullable private Duration maxTtl;
  @Nullable private Duration negativeMaxTtl;
  @Nullable private Boolean serveStale;
  @Nullable private Duration staleAnswerTtl;
  @Nullable private Duration maxStale;
  @Nullable private Duration clientTimeout;
  @Nullable private Duration staleRefreshTime;
  @Nullable private Duration servfailTtl;
  @Nullable private Double prefetchFraction;
  @Nullable private Duration prefetchEligibility;
  @Nullable private Long maxSizeBytes;
  @Nullable private Duration attemptTimeout;
  @Nullable private Integer maxAttempts;

  /** Whether the role is configured: it needs upstreams (default or per zone). */
  public boolean configured(boolean hasForwardZones) {
    return !upstreams.isEmpty() || hasForwardZones;
  }

  public String getTier() { return tier; }
  public void setTier(String tier) { this.tier = tier; }
  public List<String> getUpstreams() { return upstreams; }
  public void setUpstreams(List<String> upstreams) { this.upstreams = upstreams; }
  @Nullable public Duration getMinTtl() { return minTtl; }
  public void setMinTtl(@Nullable Duration v) { minTtl = v; }
  @Nullable public Duration getMaxTtl() { return maxTtl; }
  public void setMaxTtl(@Nullable Duration v) { maxTtl = v; }
  @Nullable public Duration getNegativeMaxTtl() { return negativeMaxTtl; }
  public void setNegativeMaxTtl(@Nullable Duration v) { negativeMaxTtl = v; }
  @Nullable public Boolean getServeStale() { return serveStale; }
  public void setServeStale(@Nullable Boolean v) { serveStale = v; }
  @Nullable public Duration getStaleAnswerTtl() { return staleAnswerTtl; }
  public void setStaleAnswerTtl(@Nullable Duration v) { staleAnswerTtl = v; }
  @Nullable public Duration getMaxStale() { return maxStale; }
  public void setMaxStale(@Nullable Duration v) { maxStale = v; }
  @Nullable public Duration getClientTimeout() { return clientTimeout; }
  public void setClientTimeout(@Nullable Duration v) { clientTimeout = v; }
  @Nullable public Duration getStaleRefreshTime() { return staleRefreshTime; }
  public void setStaleRefreshTime(@Nullable Duration v) { staleRefreshTime = v; }
  @Nullable public Duration getServfailTtl() { return servfailTtl; }
  public void setServfailTtl(@Nullable Duration v) { servfailTtl = v; }
  @Nullable public Double getPrefetchFraction() { return prefetchFraction; }
  public void setPrefetchFraction(@Nullable Double v) { prefetchFraction = v; }
  @Nullable public Duration getPrefetchEligibility() { return prefetchEligibility; }
  public void setPrefetchEligibility(@Nullable Duration v) { prefetchEligibility = v; }
  @Nullable public Long getMaxSizeBytes() { return maxSizeBytes; }
  public void setMaxSizeBytes(@Nullable Long v) { maxSizeBytes = v; }
  @Nullable public Duration getAttemptTimeout() { return attemptTimeout; }
  public void setAttemptTimeout(@Nullable Duration v) { attemptTimeout = v; }
  @Nullable public Integer getMaxAttempts() { return maxAttempts; }
  public void setMaxAttempts(@Nullable Integer v) { maxAttempts = v; }
}
