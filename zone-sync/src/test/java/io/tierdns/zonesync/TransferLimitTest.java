package io.tierdns.zonesync;

import static io.tierdns.zonesync.Zones.ZONE;
import static io.tierdns.zonesync.Zones.zone;
import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.authoritative.AuthoritativeHandler;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.acl.TransferAcl;
import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.wire.DnsServer;
import io.tierdns.wire.client.DnsClient;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/** The record limit of one transfer, against a real primary on loopback. */
class TransferLimitTest {

  DnsServer primary;
  DnsClient client;

  @AfterEach
  void close() {
    if (primary != null) {
      primary.close();
    }
    if (client != null) {
      client.close();
    }
  }

  SecondaryZoneConfig.Primary start(int extraRecords) {
    List<String> extra = new ArrayList<>();
    for (int i = 0; i < extraRecords; i++) {
      extra.add("host" + i + " 300 IN A 192.0.2." + (i % 250 + 1));
    }
    ZoneRegistry registry = new ZoneRegistry();
    registry.put(zone(100, extra.toArray(String[]::new)));
    primary =
        new DnsServer(
            List.of(new InetSocketAddress("127.0.0.1", 0)),
            new AuthoritativeHandler(registry, null, null, z -> TransferAcl.parse("127.0.0.0/8"), TsigKeyring.empty()));
    primary.start();
    return new SecondaryZoneConfig.Primary(primary.boundAddresses().get(0));
  }

  @Test
  void anAxfrOverTheLimitIsCutOffAsAnInvalidZone() {
    SecondaryZoneConfig.Primary p = start(50);
    client = new DnsClient();
    DnsPrimaryClient limited = new DnsPrimaryClient(TsigKeyring.empty(), client, 20);

    PrimaryClient.XfrResult r = limited.axfr(ZONE, p);

    assertThat(r).isInstanceOf(PrimaryClient.Failed.class);
    assertThat(((PrimaryClient.Failed) r).failure()).isEqualTo(TransferFailure.INVALID_ZONE);
    assertThat(((PrimaryClient.Failed) r).detail()).contains("more than 20 records");
  }

  @Test
  void anAxfrWithinTheLimitIsTakenWhole() {
    SecondaryZoneConfig.Primary p = start(50);
    client = new DnsClient();
    DnsPrimaryClient limited = new DnsPrimaryClient(TsigKeyring.empty(), client, 60);

    PrimaryClient.XfrResult r = limited.axfr(ZONE, p);

    assertThat(r).isInstanceOf(PrimaryClient.Full.class);
    assertThat(io.tierdns.authoritative.ZoneSnapshot.of(ZONE, ((PrimaryClient.Full) r).records()).size())
        .isEqualTo(zone(100).size() + 50);
  }

  @Test
  void anAxfrIsTakenWithoutItsClosingSoaInTheOrderItCame() {
    SecondaryZoneConfig.Primary p = start(50);
    client = new DnsClient();

    PrimaryClient.XfrResult r = new DnsPrimaryClient(TsigKeyring.empty(), client, 1000).axfr(ZONE, p);

    // One SOA, first: a transfer in canonical order stays in order and needs no sorting.
    List<Record> records = ((PrimaryClient.Full) r).records();
    assertThat(records).hasSize(zone(100).size() + 50);
    assertThat(records.get(0)).isInstanceOf(SOARecord.class);
    assertThat(records).filteredOn(x -> x.getType() == Type.SOA).hasSize(1);
    assertThat(records).extracting(Record::getName).isSortedAccordingTo(Name::compareTo);
  }
}
