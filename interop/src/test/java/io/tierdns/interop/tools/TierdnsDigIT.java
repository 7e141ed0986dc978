package io.tierdns.interop.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.interop.support.Dig;
import org.junit.jupiter.api.Test;

/**
 * {@code interop/tools/tierdns_dig}: the packaged jar answers the real ISC {@code dig} and
 * Knot {@code kdig} over UDP and TCP, including the TC=1 then TCP retry of a large RRset.
 */
class TierdnsDigIT extends GeneratedZonesServer {

  TierdnsDigIT() {
    super(20240101, 400, "tierdns-interop-dig-");
  }

  @Test
  void digGetsTheApexSoaOverUdpAndTcp() {
    Dig.Result udp = Dig.dig(tierdns.port()).run("diff.test.", "SOA", "+norec");
    Dig.Result tcp = Dig.dig(tierdns.port()).run("diff.test.", "SOA", "+norec", "+tcp");

    assertThat(udp.status()).as(udp::toString).isEqualTo("NOERROR");
    assertThat(udp.output()).as(udp::toString).contains("flags: qr aa;").contains("hostmaster.diff.test. 2024010101");
    assertThat(tcp.status()).as(tcp::toString).isEqualTo("NOERROR");
    assertThat(tcp.output()).as(tcp::toString).contains("(TCP)").contains("hostmaster.diff.test. 2024010101");
  }

  @Test
  void kdigGetsTheApexNsOverTcp() {
    Dig.Result result = Dig.kdig(tierdns.port()).run("+tcp", "+norec", "diff.test.", "NS");

    assertThat(result.output()).as(result::toString).contains("status: NOERROR").contains("ns1.diff.test.");
  }

  @Test
  void digRetriesATruncatedLargeTxtOverTcpAndGetsItAll() {
    String large = zones.queries().stream().filter(q -> q.kind().equals("txt-large")).findFirst().orElseThrow().qname();

    Dig.Result result = Dig.dig(tierdns.port()).run(large, "TXT", "+norec", "+bufsize=1232");

    assertThat(result.output()).as(result::toString).contains("Truncated, retrying in TCP mode").contains("status: NOERROR");
    assertThat(result.output()).as(result::toString).containsPattern("ANSWER: (9|1[0-2]),");
  }

  @Test
  void digGetsRefusedForANameOutsideEveryZone() {
    Dig.Result result = Dig.dig(tierdns.port()).run("www.outside.example.", "A", "+norec");

    assertThat(result.status()).as(result::toString).isEqualTo("REFUSED");
  }
}
