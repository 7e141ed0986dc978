package io.tierdns.authoritative.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Address;
import org.xbill.DNS.Name;

class TransferAclTest {

  static byte[] ip(String s) {
    byte[] v4 = Address.toByteArray(s, Address.IPv4);
    return v4 != null ? v4 : Address.toByteArray(s, Address.IPv6);
  }

  static final Name XFR = Name.fromConstantString("xfr.");

  @Test
  void nobodyMayTransferByDefault() {
    assertThat(TransferAcl.denyAll().allows(ip("127.0.0.1"), XFR)).isFalse();
    assertThat(TransferAcl.parse().allows(ip("127.0.0.1"), null)).isFalse();
  }

  @Test
  void aNetworkAllowsItsAddressesUnsigned() {
    TransferAcl acl = TransferAcl.parse("192.0.2.0/25", "2001:db8::/32");
    assertThat(acl.allows(ip("192.0.2.127"), null)).isTrue();
    assertThat(acl.allows(ip("192.0.2.128"), null)).isFalse();
    assertThat(acl.allows(ip("2001:db8::53"), null)).isTrue();
    assertThat(acl.allows(ip("2001:db9::53"), null)).isFalse();
    assertThat(acl.allows(ip("::ffff:192.0.2.1"), null)).as("IPv4-mapped").isTrue();
    assertThat(acl.allows(null, null)).isFalse();
  }

  @Test
  void aHostWithoutPrefixIsOneAddress() {
    TransferAcl acl = TransferAcl.parse("10.1.2.3");
    assertThat(acl.allows(ip("10.1.2.3"), null)).isTrue();
    assertThat(acl.allows(ip("10.1.2.4"), null)).isFalse();
  }

  @Test
  void aKeyRuleAllowsAnyAddressWithThatVerifiedKey() {
    TransferAcl acl = TransferAcl.parse("key:xfr");
    assertThat(acl.allows(ip("203.0.113.9"), XFR)).isTrue();
    assertThat(acl.allows(null, XFR)).isTrue();
    assertThat(acl.allows(ip("203.0.113.9"), Name.fromConstantString("other."))).isFalse();
    assertThat(acl.allows(ip("203.0.113.9"), null)).isFalse();
  }

  @Test
  void aNetworkAndAKeyInOneRuleMustBothMatch() {
    TransferAcl acl = TransferAcl.parse("127.0.0.0/8 key:xfr");
    assertThat(acl.allows(ip("127.0.0.1"), XFR)).isTrue();
    assertThat(acl.allows(ip("127.0.0.1"), null)).isFalse();
    assertThat(acl.allows(ip("10.0.0.1"), XFR)).isFalse();
  }

  @Test
  void malformedEntriesAreRejectedNamingTheEntry() {
    assertThatThrownBy(() -> TransferAcl.parse("300.1.1.1")).hasMessageContaining("300.1.1.1");
    assertThatThrownBy(() -> TransferAcl.parse("10.0.0.0/33")).hasMessageContaining("prefix");
    assertThatThrownBy(() -> TransferAcl.parse("key:a key:b")).hasMessageContaining("two keys");
    assertThatThrownBy(() -> TransferAcl.parse(" ")).hasMessageContaining("expected");
  }
}
