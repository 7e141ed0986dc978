package io.tierdns.authoritative.update;

import static io.tierdns.authoritative.update.UpdateTesting.ZONE;
import static io.tierdns.authoritative.update.UpdateTesting.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tierdns.authoritative.update.UpdatePolicy.Grant;
import io.tierdns.authoritative.update.UpdatePolicy.GrantConfig;
import io.tierdns.authoritative.update.UpdatePolicy.Match;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class UpdatePolicyTest {

  static final Name KEY = name("k1.");
  static final Name OTHER = name("k2.");

  @Test
  void aPolicyWithoutGrantsPermitsNothing() {
    assertThat(UpdatePolicy.none().permits(KEY, name("www"), Type.A)).isFalse();
    assertThat(UpdatePolicy.none().allowsUnsignedFrom(new byte[] {127, 0, 0, 1})).isFalse();
  }

  @Test
  void aZoneGrantCoversEveryNameButOnlyForItsKey() {
    UpdatePolicy p = UpdatePolicy.of(new Grant(KEY, Match.ZONE, null, Set.of()));
    assertThat(p.permits(KEY, name("a.b.c"), Type.A)).isTrue();
    assertThat(p.permits(KEY, ZONE, Type.TXT)).isTrue();
    assertThat(p.permits(OTHER, name("www"), Type.A)).isFalse();
    assertThat(p.permits(null, name("www"), Type.A)).isFalse();
  }

  @Test
  void aNameGrantCoversExactlyThatName() {
    Grant g = new Grant(KEY, Match.NAME, name("www"), Set.of());
    assertThat(g.permits(KEY, name("WWW"), Type.A)).isTrue();
    assertThat(g.permits(KEY, name("a.www"), Type.A)).isFalse();
    assertThat(g.permits(KEY, ZONE, Type.A)).isFalse();
  }

  @Test
  void aSubdomainGrantCoversTheNameAndEverythingBelow() {
    Grant g = new Grant(KEY, Match.SUBDOMAIN, name("dyn"), Set.of());
    assertThat(g.permits(KEY, name("dyn"), Type.A)).isTrue();
    assertThat(g.permits(KEY, name("a.b.dyn"), Type.A)).isTrue();
    assertThat(g.permits(KEY, name("xdyn"), Type.A)).isFalse();
  }

  @Test
  void aWildcardGrantCoversNamesStrictlyBelowItsParent() {
    Grant g = new Grant(KEY, Match.WILDCARD, name("*.dyn"), Set.of());
    assertThat(g.permits(KEY, name("h.dyn"), Type.A)).isTrue();
    assertThat(g.permits(KEY, name("a.h.dyn"), Type.A)).isTrue();
    assertThat(g.permits(KEY, name("dyn"), Type.A)).isFalse();
  }

  @Test
  void aSelfGrantCoversOnlyTheKeysOwnName() {
    Name hostKey = name("host.dyn");
    Grant g = new Grant(hostKey, Match.SELF, null, Set.of(Type.A));
    assertThat(g.permits(hostKey, name("host.dyn"), Type.A)).isTrue();
    assertThat(g.permits(hostKey, name("other.dyn"), Type.A)).isFalse();
  }

  @Test
  void aGrantWithoutTypesExcludesSoaNsAndDnssecTypesAsBindDoes() {
    Grant g = new Grant(KEY, Match.ZONE, null, Set.of());
    assertThat(g.permits(KEY, name("www"), Type.A)).isTrue();
    assertThat(g.permits(KEY, name("www"), Type.CNAME)).isTrue();
    for (int t : new int[] {Type.SOA, Type.NS, Type.RRSIG, Type.NSEC, Type.NSEC3}) {
      assertThat(g.permits(KEY, ZONE, t)).as(Type.string(t)).isFalse();
    }
  }

  @Test
  void theTypeAnyCoversSoaAndNsButNotNsec() {
    Grant g = new Grant(KEY, Match.ZONE, null, Set.of(Type.ANY));
    assertThat(g.permits(KEY, ZONE, Type.NS)).isTrue();
    assertThat(g.permits(KEY, ZONE, Type.SOA)).isTrue();
    assertThat(g.permits(KEY, ZONE, Type.NSEC)).isFalse();
  }

  @Test
  void anExplicitTypeListCoversOnlyThoseTypes() {
    Grant g = new Grant(KEY, Match.ZONE, null, Set.of(Type.A, Type.AAAA));
    assertThat(g.permits(KEY, name("h"), Type.AAAA)).isTrue();
    assertThat(g.permits(KEY, name("h"), Type.TXT)).isFalse();
  }

  @Test
  void aGrantWithoutAKeyAppliesOnlyToUnsignedUpdates() {
    Grant g = new Grant(null, Match.ZONE, null, Set.of());
    assertThat(g.permits(null, name("h"), Type.A)).isTrue();
    assertThat(g.permits(KEY, name("h"), Type.A)).isFalse();
  }

  @Test
  void configurationTextIsParsedWithNamesRelativeToTheZone() {
    UpdatePolicy p =
        UpdatePolicy.parse(
            ZONE,
            List.of(
                new GrantConfig("k1", "subdomain", "dyn", List.of("A", "aaaa", "TXT")),
                new GrantConfig("k2.", "name", "www.example.test.", null),
                new GrantConfig(null, "wildcard", "*.lab", List.of())),
            List.of("127.0.0.1/32", "::1", "10.0.0.0/8"));
    assertThat(p.grants().get(0)).isEqualTo(new Grant(KEY, Match.SUBDOMAIN, name("dyn"), Set.of(Type.A, Type.AAAA, Type.TXT)));
    assertThat(p.grants().get(1).name()).isEqualTo(name("www"));
    assertThat(p.grants().get(2).key()).isNull();
    assertThat(p.allowsUnsignedFrom(new byte[] {127, 0, 0, 1})).isTrue();
    assertThat(p.allowsUnsignedFrom(new byte[] {10, 1, 2, 3})).isTrue();
    assertThat(p.allowsUnsignedFrom(new byte[] {127, 0, 0, 2})).isFalse();
    byte[] v6loopback = new byte[16];
    v6loopback[15] = 1;
    assertThat(p.allowsUnsignedFrom(v6loopback)).isTrue();
  }

  @Test
  void badConfigurationIsRejectedNamingTheEntry() {
    assertThatThrownBy(() -> UpdatePolicy.parse(ZONE, List.of(new GrantConfig("k", "everything", null, null)), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown grant 'everything'");
    assertThatThrownBy(() -> UpdatePolicy.parse(ZONE, List.of(new GrantConfig("k", "zone", null, List.of("BOGUS"))), List.of()))
        .hasMessageContaining("unknown type 'BOGUS'");
    assertThatThrownBy(() -> UpdatePolicy.parse(ZONE, List.of(new GrantConfig("k", "subdomain", null, null)), List.of()))
        .hasMessageContaining("needs a name");
    assertThatThrownBy(() -> UpdatePolicy.parse(ZONE, List.of(new GrantConfig("k", "wildcard", "dyn", null)), List.of()))
        .hasMessageContaining("'*.'");
    assertThatThrownBy(() -> UpdatePolicy.parse(ZONE, List.of(new GrantConfig("k", "name", "www.other.test.", null)), List.of()))
        .hasMessageContaining("outside the zone");
    assertThatThrownBy(() -> UpdatePolicy.parse(ZONE, List.of(new GrantConfig(null, "self", null, null)), List.of()))
        .hasMessageContaining("self needs a key");
    assertThatThrownBy(() -> UpdatePolicy.parse(ZONE, List.of(), List.of("localhost")))
        .hasMessageContaining("'localhost' is not an IP address");
  }

  @Test
  void aNetworkMatchesByPrefixAndFamily() {
    Network n = Network.parse("192.0.2.128/25");
    assertThat(n.contains(new byte[] {(byte) 192, 0, 2, (byte) 200})).isTrue();
    assertThat(n.contains(new byte[] {(byte) 192, 0, 2, 1})).isFalse();
    assertThat(n.contains(new byte[16])).isFalse();
    assertThat(Network.parse("0.0.0.0/0").contains(new byte[] {8, 8, 8, 8})).isTrue();
    assertThat(Network.parse("2001:db8::/32").contains(Network.parse("2001:db8:1::5").address())).isTrue();
    assertThat(Network.parse("192.0.2.77/24")).isEqualTo(Network.parse("192.0.2.0/24"));
    assertThatThrownBy(() -> Network.parse("192.0.2.0/33")).hasMessageContaining("out of range");
  }
}
