package io.tierdns.authoritative.edit;

import io.tierdns.authoritative.ZoneSnapshot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** Zones, records and a settable clock for the write-path tests (edit, journal, store). */
public final class EditFixtures {

  public static final Name ZONE = name("example.test.");

  /** A small zone at serial 1: SOA, NS, ns1 A, www A. */
  public static final String BASE =
      "$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\nwww A 192.0.2.3\n";

  private EditFixtures() {}

  public static Name name(String s) {
    return Name.fromConstantString(s.endsWith(".") ? s : s + "." + ZONE);
  }

  public static List<Record> parse(String text) {
    List<Record> records = new ArrayList<>();
    try (Master m = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), ZONE, 300)) {
      for (Record r = m.nextRecord(); r != null; r = m.nextRecord()) {
        records.add(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return records;
  }

  /** One record in master format, relative to the zone, TTL 300 unless given. */
  public static Record rr(String line) {
    return parse(line + "\n").get(0);
  }

  public static ZoneSnapshot zone(String text) {
    return ZoneSnapshot.of(ZONE, parse(text));
  }

  /** {@link #BASE} at another serial. */
  public static ZoneSnapshot base(long serial) {
    return zone(BASE.replace(" 1 7200", " " + serial + " 7200"));
  }

  /** A clock tests move by hand. */
  public static final class MutableClock extends Clock {
    private volatile Instant now;

    public MutableClock(Instant now) {
      this.now = now;
    }

    public void set(Instant now) {
      this.now = now;
    }

    public void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
