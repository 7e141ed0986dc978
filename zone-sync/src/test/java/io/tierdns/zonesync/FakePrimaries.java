package io.tierdns.zonesync;

import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.Diffs;
import io.tierdns.authoritative.edit.ZoneDiff;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;

/** In-memory primaries for unit tests: versions, history, and injectable failures. */
final class FakePrimaries implements PrimaryClient {

  static final class Fake {
    final SecondaryZoneConfig.Primary primary;
    ZoneSnapshot zone;
    final List<ZoneDiff> history = new ArrayList<>();
    TransferFailure soaFailure;
    TransferFailure ixfrFailure;
    TransferFailure axfrFailure;
    boolean ixfrAnswersAxfrStyle;
    List<ZoneDiff> bogusIxfr;
    long ednsExpire = -1;
    final List<String> log = new ArrayList<>();

    Fake(SecondaryZoneConfig.Primary primary, ZoneSnapshot zone) {
      this.primary = primary;
      this.zone = zone;
    }

    /** Commits a new version: diff into history. */
    void commit(ZoneSnapshot next) {
      history.add(Diffs.between(zone, next));
      zone = next;
    }

    /** Replaces the version without history (a restore from backup, a hand edit). */
    void restore(ZoneSnapshot other) {
      history.clear();
      zone = other;
    }
  }

  final Map<SecondaryZoneConfig.Primary, Fake> fakes = new HashMap<>();

  Fake add(int port, ZoneSnapshot zone) {
    SecondaryZoneConfig.Primary p = new SecondaryZoneConfig.Primary(new InetSocketAddress("127.0.0.1", port));
    Fake f = new Fake(p, zone);
    fakes.put(p, f);
    return f;
  }

  @Override
  public SoaOutcome soa(Name zone, SecondaryZoneConfig.Primary primary) {
    Fake f = fakes.get(primary);
    f.log.add("SOA");
    if (f.soaFailure != null) {
      return new SoaOutcome.Failed(f.soaFailure, "fake");
    }
    return new SoaOutcome.Answer(f.zone.soa(), f.ednsExpire);
  }

  @Override
  public XfrResult ixfr(Name zone, SecondaryZoneConfig.Primary primary, SOARecord ours) {
    Fake f = fakes.get(primary);
    f.log.add("IXFR " + ours.getSerial());
    if (f.ixfrFailure != null) {
      return new Failed(f.ixfrFailure, "fake");
    }
    if (f.bogusIxfr != null) {
      return new Incremental(f.bogusIxfr);
    }
    if (ours.getSerial() == f.zone.serial()) {
      return new Current(ours.getSerial());
    }
    List<ZoneDiff> chain = new ArrayList<>();
    boolean on = false;
    for (ZoneDiff d : f.history) {
      on |= d.fromSerial() == ours.getSerial();
      if (on) {
        chain.add(d);
      }
    }
    if (chain.isEmpty() || f.ixfrAnswersAxfrStyle) {
      return new Full(f.zone.records());
    }
    return new Incremental(chain);
  }

  @Override
  public XfrResult axfr(Name zone, SecondaryZoneConfig.Primary primary) {
    Fake f = fakes.get(primary);
    f.log.add("AXFR");
    if (f.axfrFailure != null) {
      return new Failed(f.axfrFailure, "fake");
    }
    return new Full(f.zone.records());
  }
}
