package io.tierdns.node.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tierdns.node.api.PdnsModel.RRsetJson;
import io.tierdns.node.api.PdnsModel.RecordJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The conversion of PowerDNS RRsets to records, rule by rule. */
class RRsetsTest {

  private static final Name NAME = Name.fromConstantString("txt.example.test.");

  private static List<Record> records(int type, String content) {
    RRsetJson rrset = new RRsetJson(NAME.toString(), Type.string(type), 60L, "REPLACE",
        List.of(new RecordJson(content, false)), null);
    return RRsets.records(NAME, type, rrset, "RRset " + NAME);
  }

  @Test
  void unquotedTxtOrSpfContentWithWhitespaceIsRefusedAsPowerDnsRefusesIt() {
    for (int type : new int[] {Type.TXT, Type.SPF}) {
      assertThatThrownBy(() -> records(type, "v=spf1 include:_spf.example.net -all"))
          .isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(422);
            assertThat(e.getMessage()).contains("should start with quote");
          });
    }
  }

  @Test
  void quotedTxtContentWithSpacesIsOneString() {
    assertThat(records(Type.TXT, "\"v=spf1 include:_spf.example.net -all\""))
        .extracting(Record::rdataToString)
        .containsExactly("\"v=spf1 include:_spf.example.net -all\"");
    assertThat(records(Type.TXT, " \"a b\" \"c\""))
        .extracting(Record::rdataToString)
        .containsExactly("\"a b\" \"c\"");
  }

  @Test
  void oneBareTxtTokenIsAcceptedAsPowerDnsAcceptsIt() {
    assertThat(records(Type.TXT, "token-123")).extracting(Record::rdataToString).containsExactly("\"token-123\"");
  }

  @Test
  void nonAsciiTxtContentIsStoredAsItsUtf8BytesOnce() {
    Record r = records(Type.TXT, "\"caf\u00e9 \uD83D\uDE00\"").get(0);
    assertThat(((TXTRecord) r).getStringsAsByteArrays())
        .containsExactly("caf\u00e9 \uD83D\uDE00".getBytes(StandardCharsets.UTF_8));
    assertThat(r.rdataToString()).isEqualTo("\"caf\\195\\169 \\240\\159\\152\\128\"");
  }

  @Test
  void anEscapedNonAsciiCharacterIsTheCharacterItself() {
    assertThat(records(Type.TXT, "\"caf\\\u00e9\"")).extracting(Record::rdataToString)
        .containsExactly("\"caf\\195\\169\"");
    assertThat(records(Type.TXT, "\"a\\\\\u00e9\"")).extracting(Record::rdataToString)
        .containsExactly("\"a\\\\\\195\\169\"");
  }
}
