package io.tierdns.edge;

import io.tierdns.authoritative.AuthoritativeHandler;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.cache.Upstream;
import io.tierdns.cache.UpstreamError;
import io.tierdns.cache.UpstreamException;
import io.tierdns.wire.Transport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * An {@link Upstream} that answers from a zone snapshot with the real authoritative lookup, so
 * cached answers (CNAME chains, NXDOMAIN, ENT NODATA) are exactly what a primary would send.
 */
final class ZoneUpstream implements Upstream {

  static final Name ZONE = Name.fromConstantString("example.test.");

  private final ZoneRegistry registry = new ZoneRegistry();
  private final AuthoritativeHandler handler = new AuthoritativeHandler(registry);
  private final AtomicInteger queries = new AtomicInteger();
  private volatile boolean down;

  ZoneUpstream(ZoneSnapshot zone) {
    registry.put(zone);
  }

  void serve(ZoneSnapshot zone) {
    registry.put(zone);
  }

  ZoneSnapshot zone() {
    return registry.zone(ZONE).orElseThrow();
  }

  void down(boolean v) {
    down = v;
  }

  int queries() {
    return queries.get();
  }

  @Override
  public String name() {
    return "zone-upstream";
  }

  @Override
  public CompletionStage<Message> query(Message query, Transport transport) {
    queries.incrementAndGet();
    if (down) {
      return CompletableFuture.failedFuture(new UpstreamException(UpstreamError.NETWORK, "down"));
    }
    return CompletableFuture.completedFuture(handler.respond(query, transport));
  }

  /** A zone from master-file text relative to {@link #ZONE}, default TTL 300. */
  static ZoneSnapshot zone(String text) {
    List<Record> records = new ArrayList<>();
    try (Master m = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), ZONE, 300)) {
      for (Record r = m.nextRecord(); r != null; r = m.nextRecord()) {
        records.add(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ZoneSnapshot.of(ZONE, records);
  }

  static Name name(String relative) {
    return Name.fromConstantString(relative.endsWith(".") ? relative : relative + "." + ZONE);
  }
}
