package io.tierdns.authoritative.update;

import static io.tierdns.authoritative.update.UpdateTesting.ZONE;
import static io.tierdns.authoritative.update.UpdateTesting.name;
import static io.tierdns.authoritative.update.UpdateTesting.rr;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.update.UpdatePolicy.Grant;
import io.tierdns.authoritative.update.UpdatePolicy.Match;
import io.tierdns.wire.QueryContext;
import io.tierdns.wire.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/** Zone section, TSIG (RFC 8945 §5.2) and the answers of the DNS-facing handler. */
class UpdateHandlerTest extends ExampleZoneFixture {

  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  static final String SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=";
  static final Name KEY = name("ddns-key.");

  final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
  final TSIG serverKey = UpdateKeys.tsig("hmac-sha256", "ddns-key", SECRET, clock);
  final TSIG clientKey = UpdateKeys.tsig("hmac-sha256", "ddns-key", SECRET, clock);

  SimpleMeterRegistry meters;
  UpdatePolicy policy = UpdatePolicy.of(new Grant(KEY, Match.ZONE, null, Set.of()));

  @BeforeEach
  void setUp() {
    meters = new SimpleMeterRegistry();
  }

  UpdateHandler handler(Clock serverClock) {
    return new UpdateHandler(
        registry,
        writer,
        zone -> zone.equals(ZONE) ? Optional.of(policy) : Optional.empty(),
        UpdateKeys.of(Map.of(KEY, serverKey)),
        serverClock,
        Runnable::run,
        meters);
  }

  /** What the handler sees: the bytes a client sent and the message parsed from them. */
  record Sent(Message parsed, byte[] wire) {
    TSIGRecord tsig() {
      return parsed.getTSIG();
    }
  }

  static Sent send(Message m, TSIG signWith) {
    if (signWith != null) {
      m.setTSIG(signWith);
    }
    byte[] bytes = m.toWire(65535);
    try {
      return new Sent(new Message(bytes), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static QueryContext from(String address, byte[] wire) {
    return new QueryContext(
        Transport.UDP, new InetSocketAddress(address, 40000), new InetSocketAddress("127.0.0.1", 53), wire);
  }

  /** Renders the response as the wire layer does (that is where the TSIG is generated). */
  static Message rendered(Message response) {
    try {
      return new Message(response.clone().toWire(65535));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Update addNew() {
    Update u = new Update(ZONE);
    u.add(rr("new 300 A 192.0.2.50"));
    return u;
  }

  Optional<?> newRecord() {
    return registry.zone(ZONE).orElseThrow().rrset(name("new"), Type.A);
  }

  @Test
  void aSignedUpdateIsAppliedAndTheAnswerIsSignedWithTheSameKey() throws IOException {
    Sent q = send(addNew(), clientKey);
    Message response = handler(clock).respond(q.parsed(), from("127.0.0.1", q.wire()));

    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(response.getHeader().getOpcode()).isEqualTo(Opcode.UPDATE);
    assertThat(newRecord()).isPresent();
    byte[] bytes = response.clone().toWire(65535);
    Message back = new Message(bytes);
    assertThat(back.getTSIG()).isNotNull();
    assertThat(clientKey.verify(back, bytes, q.tsig())).isEqualTo(Rcode.NOERROR);
    assertThat(meters.get("update.requests").tag("rcode", "NOERROR").counter().count()).isEqualTo(1.0);
  }

  @Test
  void anUnsignedUpdateIsRefusedByDefault() {
    Sent q = send(addNew(), null);
    Message response = handler(clock).respond(q.parsed(), from("127.0.0.1", q.wire()));
    assertThat(response.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(newRecord()).isEmpty();
  }

  @Test
  void anUnsignedUpdateFromAnAllowedNetworkIsCheckedAgainstTheGrantsWithoutKey() {
    policy =
        new UpdatePolicy(
            List.of(new Grant(null, Match.SUBDOMAIN, name("new"), Set.of())),
            List.of(Network.parse("127.0.0.0/8")));
    Sent q = send(addNew(), null);
    assertThat(handler(clock).respond(q.parsed(), from("127.0.0.1", q.wire())).getRcode())
        .isEqualTo(Rcode.NOERROR);
    assertThat(newRecord()).isPresent();

    Sent elsewhere = send(addNew(), null);
    assertThat(handler(clock).respond(elsewhere.parsed(), from("192.0.2.1", elsewhere.wire())).getRcode())
        .isEqualTo(Rcode.REFUSED);
  }

  @Test
  void anUnknownKeyIsNotauthWithBadkeyAndChangesNothing() {
    TSIG stranger = UpdateKeys.tsig("hmac-sha256", "stranger", SECRET, clock);
    Sent q = send(addNew(), stranger);
    Message response = handler(clock).respond(q.parsed(), from("127.0.0.1", q.wire()));

    assertThat(response.getRcode()).isEqualTo(Rcode.NOTAUTH);
    TSIGRecord tsig = rendered(response).getTSIG();
    assertThat(tsig.getError()).isEqualTo(Rcode.BADKEY);
    assertThat(tsig.getSignature()).isEmpty(); // RFC 8945 §5.3.2: unsigned
    assertThat(tsig.getName()).isEqualTo(name("stranger."));
    assertThat(newRecord()).isEmpty();
  }

  @Test
  void aKeyWithTheRightNameButAnotherAlgorithmIsBadkey() {
    TSIG sha1 = UpdateKeys.tsig("hmac-sha1", "ddns-key", SECRET, clock);
    Sent q = send(addNew(), sha1);
    Message response = handler(clock).respond(q.parsed(), from("127.0.0.1", q.wire()));
    assertThat(response.getRcode()).isEqualTo(Rcode.NOTAUTH);
    assertThat(rendered(response).getTSIG().getError()).isEqualTo(Rcode.BADKEY);
  }

  @Test
  void aWrongSecretIsNotauthWithBadsigAndChangesNothing() {
    TSIG forged = UpdateKeys.tsig("hmac-sha256", "ddns-key", "d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldC0xMjM0NTY=", clock);
    Sent q = send(addNew(), forged);
    Message response = handler(clock).respond(q.parsed(), from("127.0.0.1", q.wire()));
    assertThat(response.getRcode()).isEqualTo(Rcode.NOTAUTH);
    TSIGRecord tsig = rendered(response).getTSIG();
    assertThat(tsig.getError()).isEqualTo(Rcode.BADSIG);
    assertThat(tsig.getSignature()).isEmpty();
    assertThat(newRecord()).isEmpty();
  }

  @Test
  void aSignatureTamperedInTransitIsBadsig() {
    Sent q = send(addNew(), clientKey);
    byte[] tampered = q.wire().clone();
    tampered[1] ^= 1; // the ID is covered by the MAC
    Message parsed;
    try {
      parsed = new Message(tampered);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Message response = handler(clock).respond(parsed, from("127.0.0.1", tampered));
    assertThat(response.getRcode()).isEqualTo(Rcode.NOTAUTH);
    assertThat(rendered(response).getTSIG().getError()).isEqualTo(Rcode.BADSIG);
  }

  @Test
  void aSignatureOutsideTheFudgeIsBadtimeAndTheAnswerIsSigned() throws IOException {
    Sent q = send(addNew(), clientKey); // signed at T0, fudge 300 s
    Clock later = Clock.offset(clock, Duration.ofSeconds(301));
    Message response = handler(later).respond(q.parsed(), from("127.0.0.1", q.wire()));

    assertThat(response.getRcode()).isEqualTo(Rcode.NOTAUTH);
    TSIGRecord tsig = rendered(response).getTSIG();
    assertThat(tsig.getError()).isEqualTo(Rcode.BADTIME);
    assertThat(tsig.getSignature()).isNotEmpty();
    assertThat(newRecord()).isEmpty();
  }

  @Test
  void aSignatureJustInsideTheFudgeIsAccepted() {
    Sent q = send(addNew(), clientKey);
    Clock later = Clock.offset(clock, Duration.ofSeconds(300));
    assertThat(handler(later).respond(q.parsed(), from("127.0.0.1", q.wire())).getRcode())
        .isEqualTo(Rcode.NOERROR);
  }

  @Test
  void aSignedQueryWithoutItsBytesCannotBeVerified() {
    Sent q = send(addNew(), clientKey);
    Message response = handler(clock).respond(q.parsed(), from("127.0.0.1", null));
    assertThat(response.getRcode()).isEqualTo(Rcode.NOTAUTH);
    assertThat(newRecord()).isEmpty();
  }

  @Test
  void aFailedPrerequisiteIsAnsweredWithItsRcodeSigned() throws IOException {
    Update u = addNew();
    u.present(name("www"), Type.AAAA);
    Sent q = send(u, clientKey);
    Message response = handler(clock).respond(q.parsed(), from("127.0.0.1", q.wire()));

    assertThat(response.getRcode()).isEqualTo(Rcode.NXRRSET);
    byte[] bytes = response.clone().toWire(65535);
    assertThat(clientKey.verify(new Message(bytes), bytes, q.tsig())).isEqualTo(Rcode.NOERROR);
    assertThat(newRecord()).isEmpty();
  }

  @Test
  void aRecordOutsideTheZoneIsNotzone() {
    Update u = new Update(ZONE);
    u.add(rr("www.other.test. 300 A 192.0.2.1"));
    Sent q = send(u, clientKey);
    assertThat(handler(clock).respond(q.parsed(), from("127.0.0.1", q.wire())).getRcode())
        .isEqualTo(Rcode.NOTZONE);
  }

  @Test
  void aZoneNotServedHereIsNotauth() {
    Update u = new Update(name("other.test."));
    u.add(rr("www.other.test. 300 A 192.0.2.1"));
    Sent q = send(u, clientKey);
    Message response = handler(clock).respond(q.parsed(), from("127.0.0.1", q.wire()));
    assertThat(response.getRcode()).isEqualTo(Rcode.NOTAUTH);
    assertThat(rendered(response).getTSIG().getError()).isEqualTo(Rcode.NOERROR); // signed: the key was good
  }

  @Test
  void aZoneWithoutPolicyIsRefused() {
    ZoneSnapshot other = UpdateTesting.zone(name("other.test."), "$TTL 60\n@ SOA ns h 1 1 1 1 1\n@ NS ns\n");
    registry.put(other);
    Update u = new Update(name("other.test."));
    u.add(rr("www.other.test. 300 A 192.0.2.1"));
    Sent q = send(u, clientKey);
    assertThat(handler(clock).respond(q.parsed(), from("127.0.0.1", q.wire())).getRcode())
        .isEqualTo(Rcode.REFUSED);
  }

  @Test
  void aZoneSectionThatIsNotOneSoaIsFormerr() {
    Message m = new Message();
    m.getHeader().setOpcode(Opcode.UPDATE);
    m.addRecord(Record.newRecord(ZONE, Type.A, DClass.IN), Section.ZONE);
    Sent q = send(m, clientKey);
    assertThat(handler(clock).respond(q.parsed(), from("127.0.0.1", q.wire())).getRcode())
        .isEqualTo(Rcode.FORMERR);

    Message ch = new Message();
    ch.getHeader().setOpcode(Opcode.UPDATE);
    ch.addRecord(Record.newRecord(ZONE, Type.SOA, DClass.CH), Section.ZONE);
    Sent q2 = send(ch, clientKey);
    assertThat(handler(clock).respond(q2.parsed(), from("127.0.0.1", q2.wire())).getRcode())
        .isEqualTo(Rcode.FORMERR);
  }

  @Test
  void aZoneWriterFailureIsServfailAndNothingEscapes() {
    UpdateHandler failing =
        new UpdateHandler(
            registry,
            (zone, edit) -> {
              throw new IllegalStateException("disk on fire");
            },
            zone -> Optional.of(policy),
            UpdateKeys.of(Map.of(KEY, serverKey)),
            clock);
    Sent q = send(addNew(), clientKey);
    Message response = failing.respond(q.parsed(), from("127.0.0.1", q.wire()));
    assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(rendered(response).getTSIG()).isNotNull();
  }

  @Test
  void handleAnswersOnTheExecutor() throws Exception {
    Sent q = send(addNew(), clientKey);
    Message response =
        handler(clock).handle(q.parsed(), from("127.0.0.1", q.wire())).toCompletableFuture().get();
    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
  }
}
