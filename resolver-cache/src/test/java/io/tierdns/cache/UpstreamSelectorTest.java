package io.tierdns.cache;

import static io.tierdns.cache.Dns.name;
import static io.tierdns.cache.Dns.query;
import static io.tierdns.cache.Dns.response;
import static io.tierdns.cache.Dns.rr;
import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.wire.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

class UpstreamSelectorTest {

  private final FakeClock clock = new FakeClock();
  private final ScriptedRandom random = new ScriptedRandom();
  private final List<String> errors = new ArrayList<>();
  private final ResolverObserver observer =
      new ResolverObserver() {
        @Override
        public void upstreamFailed(String upstream, UpstreamError kind) {
          errors.add(upstream + ":" + kind.tag());
        }
      };

  private static FakeUpstream answering(String name, int rcode) {
    return new FakeUpstream(name)
        .answering((q, t) -> response(q, rcode, List.of(rr("www.example.", "A", 60, "192.0.2.1")), List.of()));
  }

  private UpstreamSelector selector(ForwardTable table) {
    return new UpstreamSelector(table, new SelectorPolicy(Duration.ofSeconds(1), 3, 0.05), clock, clock, random, observer);
  }

  private static CompletableFuture<Message> resolve(UpstreamSelector s) {
    return s.resolve(query("www.example.", "A")).toCompletableFuture();
  }

  @Test
  void theUpstreamWithTheLowestSmoothedRttIsAskedFirst() {
    FakeUpstream slow = new FakeUpstream("slow").holding();
    FakeUpstream fast = answering("fast", Rcode.NOERROR);
    UpstreamSelector s = selector(ForwardTable.of(slow, fast));
    random.nextInt = 30; // both start at 31 ms
    CompletableFuture<Message> first = resolve(s);
    // slow (first in list on a tie) is tried, times out, fast answers
    clock.advanceSeconds(1);
    assertThat(first).isCompleted();
    assertThat(errors).containsExactly("slow:timeout");
    // now fast has the lower estimate and goes first
    resolve(s);
    assertThat(slow.count()).isEqualTo(1);
    assertThat(fast.count()).isEqualTo(2);
    assertThat(s.srtt(slow).orElseThrow()).isGreaterThan(s.srtt(fast).orElseThrow());
  }

  @Test
  void servfailAndRefusedFailOverToTheNextUpstream() {
    FakeUpstream broken = answering("broken", Rcode.SERVFAIL);
    FakeUpstream refusing = answering("refusing", Rcode.REFUSED);
    FakeUpstream good = answering("good", Rcode.NOERROR);
    UpstreamSelector s = selector(ForwardTable.of(broken, refusing, good));
    Message m = resolve(s).join();
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(errors).containsExactly("broken:servfail", "refusing:refused");
  }

  @Test
  void nxdomainIsAnAnswerNotAFailure() {
    FakeUpstream nx = answering("nx", Rcode.NXDOMAIN);
    FakeUpstream other = answering("other", Rcode.NOERROR);
    UpstreamSelector s = selector(ForwardTable.of(nx, other));
    assertThat(resolve(s).join().getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(other.count()).isZero();
  }

  @Test
  void whenEveryUpstreamFailsTheLastFailureIsReported() {
    FakeUpstream a = answering("a", Rcode.REFUSED);
    FakeUpstream b = answering("b", Rcode.SERVFAIL);
    UpstreamSelector s = selector(ForwardTable.of(a, b));
    CompletableFuture<Message> f = resolve(s);
    assertThat(f).isCompletedExceptionally();
    assertThat(a.count() + b.count()).as("a server that answered badly is not asked again").isEqualTo(2);
    assertThat(UpstreamException.kindOf(f.handle((m, e) -> e).join()))
        .isIn(UpstreamError.SERVFAIL, UpstreamError.REFUSED);
  }

  @Test
  void aSingleUpstreamThatTimesOutIsAskedAgainUpToMaxAttempts() {
    FakeUpstream only = new FakeUpstream("only").holding();
    UpstreamSelector s = selector(ForwardTable.of(only));
    CompletableFuture<Message> f = resolve(s);
    clock.advanceSeconds(1);
    clock.advanceSeconds(1);
    assertThat(only.count()).isEqualTo(3);
    only.answering((q, t) -> response(q, Rcode.NOERROR, List.of(rr("www.example.", "A", 60, "192.0.2.1")), List.of()));
    only.release();
    assertThat(f.join().getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void aTimeoutThenServfailRetriesTheServerThatOnlyTimedOut() {
    FakeUpstream a = new FakeUpstream("a").holding();
    FakeUpstream b = answering("b", Rcode.SERVFAIL);
    UpstreamSelector s = selector(ForwardTable.of(a, b));
    CompletableFuture<Message> f = resolve(s);
    clock.advanceSeconds(1);
    assertThat(f).isNotDone();
    assertThat(a.count()).isEqualTo(2);
    assertThat(b.count()).isEqualTo(1);
    clock.advanceSeconds(1);
    assertThat(UpstreamException.kindOf(f.handle((m, e) -> e).join())).isEqualTo(UpstreamError.TIMEOUT);
  }

  @Test
  void atMostMaxAttemptsUpstreamsAreTried() {
    List<FakeUpstream> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.add(answering("u" + i, Rcode.SERVFAIL));
    }
    UpstreamSelector s = selector(ForwardTable.of(all.toArray(new Upstream[0])));
    assertThat(resolve(s)).isCompletedExceptionally();
    assertThat(all.stream().mapToInt(FakeUpstream::count).sum()).isEqualTo(3);
  }

  @Test
  void aTruncatedUdpAnswerIsRetriedOverTcpAtTheSameUpstream() {
    FakeUpstream u =
        new FakeUpstream("u")
            .answering(
                (q, t) -> {
                  Message m = response(q, Rcode.NOERROR, t == Transport.TCP
                      ? List.of(rr("www.example.", "A", 60, "192.0.2.1")) : List.of(), List.of());
                  if (t == Transport.UDP) {
                    m.getHeader().setFlag(Flags.TC);
                  }
                  return m;
                });
    UpstreamSelector s = selector(ForwardTable.of(u));
    Message m = resolve(s).join();
    assertThat(m.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(m.getSection(org.xbill.DNS.Section.ANSWER)).hasSize(1);
    assertThat(u.sent()).extracting(FakeUpstream.Sent::transport).containsExactly(Transport.UDP, Transport.TCP);
  }

  @Test
  void aSocketErrorFailsOverLikeATimeout() {
    FakeUpstream down = new FakeUpstream("down").answering((q, t) -> null);
    FakeUpstream up = answering("up", Rcode.NOERROR);
    UpstreamSelector s = selector(ForwardTable.of(down, up));
    assertThat(resolve(s).join().getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(errors).containsExactly("down:network");
  }

  @Test
  void theLongestMatchingForwardZoneWins() {
    FakeUpstream def = answering("default", Rcode.NOERROR);
    FakeUpstream corp = answering("corp", Rcode.NOERROR);
    FakeUpstream lab = answering("lab", Rcode.NOERROR);
    ForwardTable table =
        new ForwardTable(
            List.of(def), Map.of(name("corp.example."), List.of(corp), name("lab.corp.example."), List.of(lab)));
    assertThat(table.upstreamsFor(name("a.LAB.corp.example."))).containsExactly(lab);
    assertThat(table.upstreamsFor(name("corp.example."))).containsExactly(corp);
    assertThat(table.upstreamsFor(name("www.example."))).containsExactly(def);
    assertThat(new ForwardTable(List.of(), Map.of(name("corp."), List.of(corp))).upstreamsFor(name("x.")))
        .isEmpty();
  }

  @Test
  void aNameWithoutUpstreamsFailsAsNoUpstream() {
    FakeUpstream corp = answering("corp", Rcode.NOERROR);
    UpstreamSelector s = selector(new ForwardTable(List.of(), Map.of(name("corp."), List.of(corp))));
    CompletableFuture<Message> f = resolve(s);
    assertThat(UpstreamException.kindOf(f.handle((m, e) -> e).join())).isEqualTo(UpstreamError.NO_UPSTREAM);
  }

  @Test
  void aPenalisedUpstreamAgesBackIntoUse() {
    FakeUpstream a = answering("a", Rcode.NOERROR);
    FakeUpstream b = answering("b", Rcode.NOERROR);
    UpstreamSelector s = selector(ForwardTable.of(a, b));
    // penalise a once: its estimate jumps towards twice the attempt timeout
    a.answering((q, t) -> response(q, Rcode.SERVFAIL, List.of(), List.of()));
    resolve(s).join();
    a.answering((q, t) -> response(q, Rcode.NOERROR, List.of(), List.of()));
    resolve(s).join();
    assertThat(a.count()).isEqualTo(1); // b is preferred now
    // a is not chosen for a long time: its estimate decays 2 % per second
    clock.advance(Duration.ofMinutes(10));
    resolve(s).join(); // b still first; a, passed over, ages by ten minutes
    resolve(s).join();
    assertThat(a.count()).isEqualTo(2);
  }

  @Test
  void explorationSometimesTriesAnotherServerFirst() {
    FakeUpstream a = answering("a", Rcode.NOERROR);
    FakeUpstream b = answering("b", Rcode.NOERROR);
    UpstreamSelector s = selector(ForwardTable.of(a, b));
    resolve(s).join();
    assertThat(a.count()).isEqualTo(1);
    random.nextDouble = 0.01; // below 5 %: explore
    resolve(s).join();
    assertThat(b.count()).isEqualTo(1);
  }

  @Test
  void aLateAnswerAfterTheTimeoutIsIgnored() {
    FakeUpstream late = new FakeUpstream("late").holding();
    FakeUpstream good = answering("good", Rcode.NOERROR);
    UpstreamSelector s = selector(ForwardTable.of(late, good));
    CompletableFuture<Message> f = resolve(s);
    clock.advanceSeconds(1);
    late.answering((q, t) -> response(q, Rcode.NXDOMAIN, List.of(), List.of()));
    late.release();
    assertThat(f.join().getRcode()).isEqualTo(Rcode.NOERROR);
  }
}
