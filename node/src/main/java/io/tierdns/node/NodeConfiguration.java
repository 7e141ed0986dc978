package io.tierdns.node;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;

/**
 * The {@code tierdns:} block of a node's configuration. Every key is documented in
 * {@code docs/configuration.md}; the defaults are the safe ones.
 */
@ConfigurationProperties("tierdns")
public class NodeConfiguration {

  @NotBlank private String nodeName = "tierdns";

  @NotEmpty private List<String> listen = List.of("127.0.0.1:5300");

  /** A name for logs, metrics and (later) propagation reports. */
  public String getNodeName() {
    return nodeName;
  }

  public void setNodeName(String nodeName) {
    this.nodeName = nodeName;
  }

  /** DNS listen addresses, {@code ADDR:PORT}; each gets UDP and TCP. */
  public List<String> getListen() {
    return listen;
  }

  public void setListen(List<String> listen) {
    this.listen = listen;
  }

  /** {@code tierdns.wire}: transport limits (RFC 6891, RFC 7766). */
  @ConfigurationProperties("wire")
  public static class Wire {
    @Min(512)
    @Max(65535)
    private int udpPayloadSize = 1232;

    @NotNull private Duration tcpIdleTimeout = Duration.ofSeconds(10);

    @Min(1)
    private int tcpMaxConnections = 1024;

    @Min(1)
    private int tcpMaxInFlightPerConnection = 100;

    @Min(0)
    private int ioThreads = 0;

    @Min(0)
    private long packetCacheBytes = 64L << 20;

    @Min(1)
    private int tcpMaxConnectionsPerClient = 64;

    @Min(0)
    @Max(1_000_000)
    private int rrlResponsesPerSecond = 0;

    @Min(0)
    @Max(10)
    private int rrlSlip = 2;

    @Min(1)
    private int rrlTableSize = 65536;

    private boolean cookies = true;

    /** TCP connections one client address may hold open. */
    public int getTcpMaxConnectionsPerClient() {
      return tcpMaxConnectionsPerClient;
    }

    public void setTcpMaxConnectionsPerClient(int v) {
      this.tcpMaxConnectionsPerClient = v;
    }

    /** Response rate limit per client prefix and response class (UDP); 0 turns RRL off. */
    public int getRrlResponsesPerSecond() {
      return rrlResponsesPerSecond;
    }

    public void setRrlResponsesPerSecond(int v) {
      this.rrlResponsesPerSecond = v;
    }

    /** Every Nth limited response is sent truncated (TC) instead of dropped; 0 never, 1 always. */
    public int getRrlSlip() {
      return rrlSlip;
    }

    public void setRrlSlip(int v) {
      this.rrlSlip = v;
    }

    /** Flows tracked by the rate limiter (a fixed table; a flood cannot grow it). */
    public int getRrlTableSize() {
      return rrlTableSize;
    }

    public void setRrlTableSize(int v) {
      this.rrlTableSize = v;
    }

    /** Answer DNS Cookies (RFC 7873, RFC 9018 server cookies). */
    public boolean isCookies() {
      return cookies;
    }

    public void setCookies(boolean cookies) {
      this.cookies = cookies;
    }

    /** Bytes of encoded authoritative answers kept for the hot path; 0 turns the cache off. */
    public long getPacketCacheBytes() {
      return packetCacheBytes;
    }

    public void setPacketCacheBytes(long packetCacheBytes) {
      this.packetCacheBytes = packetCacheBytes;
    }

    public int getUdpPayloadSize() {
      return udpPayloadSize;
    }

    public void setUdpPayloadSize(int udpPayloadSize) {
      this.udpPayloadSize = udpPayloadSize;
    }

    public Duration getTcpIdleTimeout() {
      return tcpIdleTimeout;
    }

    public void setTcpIdleTimeout(Duration tcpIdleTimeout) {
      this.tcpIdleTimeout = tcpIdleTimeout;
    }

    public int getTcpMaxConnections() {
      return tcpMaxConnections;
    }

    public void setTcpMaxConnections(int tcpMaxConnections) {
      this.tcpMaxConnections = tcpMaxConnections;
    }

    public int getTcpMaxInFlightPerConnection() {
      return tcpMaxInFlightPerConnection;
    }

    public void setTcpMaxInFlightPerConnection(int tcpMaxInFlightPerConnection) {
      this.tcpMaxInFlightPerConnection = tcpMaxInFlightPerConnection;
    }

    /** Netty I/O threads; 0 means one per available processor. */
    public int getIoThreads() {
      return ioThreads;
    }

    public void setIoThreads(int ioThreads) {
      this.ioThreads = ioThreads;
    }
  }

  /** {@code tierdns.authoritative}: the zones this node serves as a primary. */
  @ConfigurationProperties("authoritative")
  public static class Authoritative {
    @Nullable private String zoneDirectory;
    @Nullable private String journalDirectory;
    @NotBlank private String serialPolicy = "increment";

    @Min(4096)
    private long journalMaxBytes = 16L << 20;

    @Min(1)
    private int journalMaxDiffs = 1000;

    @Min(0)
    private int journalKeepDiffs = 100;

    @NotNull private Duration notifyDelay = Duration.ofMillis(100);

    /** RRs (prerequisites plus updates) one RFC 2136 UPDATE may carry; more is REFUSED. */
    @Min(1)
    private int updateMaxRecords = io.tierdns.authoritative.update.UpdateHandler.DEFAULT_MAX_RECORDS;

    @NotNull private Duration journalMaxAge = Duration.ofMinutes(15);

    /**
     * Serve every {@code *.zone} file of this directory; the zone name is the file name without
     * {@code .zone}.
     */
    @Nullable
    public String getZoneDirectory() {
      return zoneDirectory;
    }

    public void setZoneDirectory(@Nullable String zoneDirectory) {
      this.zoneDirectory = zoneDirectory;
    }

    /** Where the journals live; default {@code <zone-directory>/.journal}. */
    @Nullable
    public String getJournalDirectory() {
      return journalDirectory;
    }

    public void setJournalDirectory(@Nullable String journalDirectory) {
      this.journalDirectory = journalDirectory;
    }

    /** {@code increment}, {@code unixtime} or {@code dateserial}. */
    public String getSerialPolicy() {
      return serialPolicy;
    }

    public void setSerialPolicy(String serialPolicy) {
      this.serialPolicy = serialPolicy;
    }

    public long getJournalMaxBytes() {
      return journalMaxBytes;
    }

    public void setJournalMaxBytes(long journalMaxBytes) {
      this.journalMaxBytes = journalMaxBytes;
    }

    public int getJournalMaxDiffs() {
      return journalMaxDiffs;
    }

    public void setJournalMaxDiffs(int journalMaxDiffs) {
      this.journalMaxDiffs = journalMaxDiffs;
    }

    public int getJournalKeepDiffs() {
      return journalKeepDiffs;
    }

    public void setJournalKeepDiffs(int journalKeepDiffs) {
      this.journalKeepDiffs = journalKeepDiffs;
    }

    /** Compact the journal (and write the zone file) at the first commit this long after the last. */
    public Duration getJournalMaxAge() {
      return journalMaxAge;
    }

    public void setJournalMaxAge(Duration journalMaxAge) {
      this.journalMaxAge = journalMaxAge;
    }

    /** Commits within this window are announced by one NOTIFY. */
    public Duration getNotifyDelay() {
      return notifyDelay;
    }

    public void setNotifyDelay(Duration notifyDelay) {
      this.notifyDelay = notifyDelay;
    }

    public int getUpdateMaxRecords() {
      return updateMaxRecords;
    }

    public void setUpdateMaxRecords(int updateMaxRecords) {
      this.updateMaxRecords = updateMaxRecords;
    }
  }

  /** {@code tierdns.admin}: the admin HTTP API. */
  @ConfigurationProperties("admin")
  public static class Admin {
    private boolean enabled = false;
    @NotBlank private String host = "127.0.0.1";

    /** -1 picks a free port (tests). */
    @Min(-1)
    @Max(65535)
    private int port = 8053;

    @Nullable private String apiKey;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getHost() {
      return host;
    }

    public void setHost(String host) {
      this.host = host;
    }

    public int getPort() {
      return port;
    }

    public void setPort(int port) {
      this.port = port;
    }

    /** Required in {@code X-API-Key} on every {@code /api} path; falls back to TIERDNS_API_KEY. */
    @Nullable
    public String getApiKey() {
      return apiKey;
    }

    public void setApiKey(@Nullable String apiKey) {
      this.apiKey = apiKey;
    }
  }
}
