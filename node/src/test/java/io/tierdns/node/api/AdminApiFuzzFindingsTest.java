package io.tierdns.node.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tierdns.node.api.PdnsModel.CreateZoneJson;
import io.tierdns.node.api.PdnsModel.RRsetJson;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/** Regressions found by {@link AdminApiFuzzTest} (docs/fuzzing.md): a 422, not a 500. */
class AdminApiFuzzFindingsTest {

  private static final Name ZONE = Name.fromConstantString("example.test.");

  @Test
  void aNullRRsetInAPatchIsUnprocessable() {
    assertThatThrownBy(() -> RRsets.toChanges(ZONE, Arrays.asList((RRsetJson) null)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(422));
  }

  @Test
  void aNullRRsetOrNameServerInAZoneCreationIsUnprocessable() {
    ZoneFactory factory = new ZoneFactory(Clock.systemUTC());
    assertThatThrownBy(() -> factory.records(ZONE, new CreateZoneJson("example.test.", null, null, Arrays.asList((RRsetJson) null))))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(422));
    assertThatThrownBy(() -> factory.records(ZONE, new CreateZoneJson("example.test.", null, Arrays.asList((String) null), List.of())))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(422));
  }

  @Test
  void theSoaMadeForTheRootZoneHasHostmasterDotAsItsMailbox() {
    ZoneFactory factory = new ZoneFactory(Clock.systemUTC());
    List<Record> records = factory.records(Name.root, new CreateZoneJson(".", null, List.of("ns1.example.test."), null));
    assertThat(records).filteredOn(r -> r instanceof SOARecord).singleElement()
        .satisfies(r -> assertThat(((SOARecord) r).getAdmin()).isEqualTo(Name.fromConstantString("hostmaster.")));
  }
}
