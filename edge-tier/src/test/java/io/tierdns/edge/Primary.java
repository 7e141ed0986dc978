package io.tierdns.edge;

import io.tierdns.authoritative.AuthoritativeHandler;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.acl.TransferAcl;
import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.authoritative.edit.CommitResult;
import io.tierdns.authoritative.edit.ZoneChange;
import io.tierdns.authoritative.notify.NotifyScheduler;
import io.tierdns.authoritative.notify.NotifySender;
import io.tierdns.authoritative.notify.NotifyTarget;
import io.tierdns.authoritative.notify.NotifyTransport;
import io.tierdns.authoritative.store.ZoneStoreConfig;
import io.tierdns.authoritative.store.ZoneStores;
import io.tierdns.wire.DnsServer;
import io.tierdns.wire.client.DnsClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** A tierdns primary on loopback: ZoneStores + AuthoritativeHandler + NotifySender (no delay). */
final class Primary implements AutoCloseable {

  final ZoneStores stores;
  final DnsServer server;
  private final NotifySender sender;

  Primary(Path dir, Name zone, String zoneText, List<InetSocketAddress> notify, DnsClient client,
      ScheduledExecutorService timers) throws IOException {
    ZoneStores.Layout layout = new ZoneStores.Layout(dir.resolve("zones"), dir.resolve("journal"));
    Files.createDirectories(layout.zoneDir());
    Files.writeString(layout.zoneDir().resolve(zone.toString(true) + ".zone"), "$ORIGIN " + zone + "\n" + zoneText);
    ZoneRegistry registry = new ZoneRegistry();
    stores = ZoneStores.open(layout, ZoneStoreConfig.defaults(), registry, Clock.systemUTC());
    TransferAcl acl = TransferAcl.parse("127.0.0.0/8");
    server = new DnsServer(List.of(new InetSocketAddress("127.0.0.1", 0)),
        new AuthoritativeHandler(registry, null, stores, z -> acl, TsigKeyring.empty()));
    server.start();
    sender = new NotifySender(z -> notify.stream().map(NotifyTarget::new).toList(), TsigKeyring.empty(),
        NotifyTransport.udp(client), NotifyScheduler.of(timers, Clock.systemUTC()), Duration.ZERO);
    stores.addListener(sender);
  }

  InetSocketAddress address() {
    return server.boundAddresses().get(0);
  }

  CommitResult replace(Name zone, Name name, int type, Record... records) {
    return stores.commit(zone, current -> List.of(new ZoneChange.ReplaceRRset(name, type, List.of(records))));
  }

  @Override
  public void close() {
    sender.close();
    server.close();
    stores.close();
  }
}
