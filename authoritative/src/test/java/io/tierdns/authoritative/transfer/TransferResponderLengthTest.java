package io.tierdns.authoritative.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The message budget counts RDATA lengths read off record fields: they must be the encoded ones. */
class TransferResponderLengthTest {

  @Test
  void rdataLengthsReadOffFieldsEqualTheEncodedLengths() throws Exception {
    Name origin = Name.fromString("example.test.");
    List<String[]> cases =
        List.of(
            new String[] {"A", "192.0.2.1"},
            new String[] {"AAAA", "2001:db8::1"},
            new String[] {"NS", "ns1.Example.TEST."},
            new String[] {"NS", "."},
            new String[] {"CNAME", "a.very.long.target.name.example.net."},
            new String[] {"MX", "10 mail"},
            new String[] {"MX", "0 ."},
            new String[] {"TXT", "\"v=spf1 -all\""},
            new String[] {"TXT", "\"\" \"two\" \"escaped \\\"quote\\\" and \\200\""},
            new String[] {"TXT", "\"" + "x".repeat(255) + "\" \"y\""},
            new String[] {"SRV", "0 5 5060 sip.example.test."},
            new String[] {"SOA", "ns h 1 2 3 4 5"});
    for (String[] c : cases) {
      Record r = Record.fromString(Name.fromString("www", origin), Type.value(c[0]), DClass.IN, 300, c[1], origin);
      assertThat(TransferResponder.rdataLength(r)).as("%s", r).isEqualTo(r.rdataToWireCanonical().length);
      assertThat(TransferResponder.wireLength(r)).as("%s", r).isEqualTo(r.toWire(org.xbill.DNS.Section.ANSWER).length);
    }
  }
}
