package io.tierdns.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

class RecordTtlTest {

  private static final Record CNAME =
      new CNAMERecord(
          Name.fromConstantString("www.example."), DClass.IN, 300,
          Name.fromConstantString("Target.Example."));

  @Test
  void anotherTtlKeepsEverythingElseIncludingTheCaseOfNamesInTheRdata() {
    Record r = RecordTtl.withTtl(CNAME, 2_147_483_647L);
    assertThat(r.getTTL()).isEqualTo(2_147_483_647L);
    assertThat(r).isEqualTo(CNAME); // dnsjava's equals ignores the TTL
    assertThat(((CNAMERecord) r).getTarget().toString()).isEqualTo("Target.Example.");
  }

  @Test
  void theSameTtlIsTheSameRecord() {
    assertThat(RecordTtl.withTtl(CNAME, 300)).isSameAs(CNAME);
  }
}
