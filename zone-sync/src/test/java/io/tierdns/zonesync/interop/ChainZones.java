package io.tierdns.zonesync.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.xbill.DNS.Master;
import org.xbill.DNS.Record;

/** One record of example.test from master-file text. */
final class ChainZones {
  private ChainZones() {}

  static Record record(String line) {
    try (Master m = new Master(new java.io.ByteArrayInputStream((line + "\n").getBytes()), Peers.ZONE, 3600)) {
      return m.nextRecord();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
