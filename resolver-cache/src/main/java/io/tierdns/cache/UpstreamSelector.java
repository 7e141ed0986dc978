package io.tierdns.cache;

import io.tierdns.wire.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * Sends a query to the best upstream for its name and fails over to the others.
 *
 * <p>Design note. One resolution is a chain of attempts over the upstreams of the closest {@link
 * ForwardTable} zone, ordered by {@link Srtt smoothed RTT}; the servers not put first age (their estimates shrink), and with probability {@code
 * exploreProbability} a random other server goes first, so that estimates of servers not in use
 * stay current (ageing does the same more slowly). An attempt ends in one of:
 *
 * <ul>
 *   <li>NOERROR or NXDOMAIN: the answer; the RTT is folded into the estimate;
 *   <li>a UDP answer with TC set: the same server again over TCP (RFC 7766 §5, RFC 1035 §4.2.1);
 *   <li>SERVFAIL, REFUSED, NOTIMP or another rcode, a socket error, or no answer within {@code
 *       attemptTimeout}: the server is penalised and the next one is tried.
 * </ul>
 *
 * After {@code maxAttempts} servers the resolution fails with the last attempt's {@link
 * UpstreamException}. The timeout is ours (on the injected {@link Timers}), so an {@link Upstream}
 * that never completes cannot hold a resolution.
 */
public final class UpstreamSelector {

  private final ForwardTable table;
  private final SelectorPolicy policy;
  private final Ticker ticker;
  private final Timers timers;
  private final RandomGenerator random;
  private final ResolverObserver observer;
  private final Map<Upstream, Srtt> srtts = new ConcurrentHashMap<>();

  /**
   * @param random picks initial estimates (1-32 ms, as BIND does, so that new servers are all
   *     tried early) and exploration; tests pass a seeded generator
   */
  public UpstreamSelector(
      ForwardTable table,
      SelectorPolicy policy,
      Ticker ticker,
      Timers timers,
      RandomGenerator random,
      ResolverObserver observer) {
    this.table = Objects.requireNonNull(table, "table");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.timers = Objects.requireNonNull(timers, "timers");
    this.random = Objects.requireNonNull(random, "random");
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  /** A selector with a thread-local random generator. */
  public UpstreamSelector(
      ForwardTable table,
      SelectorPolicy policy,
      Ticker ticker,
      Timers timers,
      ResolverObserver observer) {
    this(table, policy, ticker, timers, ThreadLocalRandom.current(), observer);
  }

  /**
   * Resolves {@code query} upstream.
   *
   * @return the first usable answer (NOERROR or NXDOMAIN), or a stage failed with the last
   *     attempt's {@link UpstreamException}
   */
  public CompletionStage<Message> resolve(Message query) {
    List<Upstream> order = order(table.upstreamsFor(query.getQuestion().getName()));
    CompletableFuture<Message> result = new CompletableFuture<>();
    if (order.isEmpty()) {
      result.completeExceptionally(
          new UpstreamException(
              UpstreamError.NO_UPSTREAM, "no upstream for " + query.getQuestion().getName()));
      return result;
    }
    attempt(query, order, 0, new boolean[order.size()], result);
    return result;
  }

  /** The current smoothed RTT of {@code upstream}, if it has been considered yet. */
  public Optional<Duration> srtt(Upstream upstream) {
    Srtt s = srtts.get(upstream);
    return s == null ? Optional.empty() : Optional.of(Duration.ofNanos(s.nanos()));
  }

  /** Upstreams by ascending SRTT, perhaps with one explored first; ages all but the first. */
  List<Upstream> order(List<Upstream> upstreams) {
    long now = ticker.read();
    List<Upstream> order = new ArrayList<>(upstreams);
    order.sort(Comparator.comparingLong(u -> srtt(u, now).nanos()));
    if (order.size() > 1 && random.nextDouble() < policy.exploreProbability()) {
      Upstream explored = order.remove(1 + random.nextInt(order.size() - 1));
      order.add(0, explored);
    }
    for (int i = 0; i < order.size(); i++) {
      Srtt s = srtt(order.get(i), now);
      if (i == 0) {
        s.chosen(now);
      } else {
        s.age(now);
      }
    }
    return order;
  }

  private Srtt srtt(Upstream u, long now) {
    return srtts.computeIfAbsent(
        u, k -> new Srtt(TimeUnit.MILLISECONDS.toNanos(1 + random.nextInt(31)), now));
  }

  /**
   * Attempt {@code i} of at most {@code maxAttempts}: the servers in SRTT order, then round again
   * to those that only timed out, since a lost datagram is worth retransmitting (as BIND and
   * Unbound do, even with a single upstream); a server that answered SERVFAIL or REFUSED is not
   * asked again for this query.
   */
  private void attempt(
      Message query, List<Upstream> order, int i, boolean[] answeredBadly, CompletableFuture<Message> result) {
    int slot = i % order.size();
    Upstream upstream = order.get(slot);
    ask(upstream, query, Transport.UDP)
        .whenComplete(
            (response, failure) -> {
              if (failure == null) {
                result.complete(response);
                return;
              }
              UpstreamError kind = UpstreamException.kindOf(failure);
              answeredBadly[slot] |= kind == UpstreamError.SERVFAIL || kind == UpstreamError.REFUSED;
              int next = i + 1;
              while (next < policy.maxAttempts() && answeredBadly[next % order.size()]) {
                next++;
              }
              if (next < policy.maxAttempts()) {
                attempt(query, order, next, answeredBadly, result);
              } else {
                result.completeExceptionally(asUpstreamException(failure));
              }
            });
  }

  /** One attempt at one upstream, with the TCP retry after TC. */
  private CompletableFuture<Message> ask(Upstream upstream, Message query, Transport transport) {
    long start = ticker.read();
    return send(upstream, query, transport)
        .handle((response, failure) -> judge(upstream, query, transport, start, response, failure))
        .thenCompose(f -> f);
  }

  private CompletableFuture<Message> judge(
      Upstream upstream,
      Message query,
      Transport transport,
      long start,
      Message response,
      Throwable failure) {
    long rtt = ticker.read() - start;
    Srtt srtt = srtt(upstream, start);
    if (failure != null) {
      UpstreamException e = asUpstreamException(failure);
      srtt.sample(penalty());
      observer.upstreamFailed(upstream.name(), e.kind());
      return CompletableFuture.failedFuture(e);
    }
    observer.upstreamAnswered(upstream.name(), Duration.ofNanos(rtt));
    int rcode = response.getRcode();
    if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
      srtt.sample(rtt);
      if (transport == Transport.UDP && response.getHeader().getFlag(Flags.TC)) {
        return ask(upstream, query, Transport.TCP);
      }
      return CompletableFuture.completedFuture(response);
    }
    UpstreamError kind =
        switch (rcode) {
          case Rcode.SERVFAIL -> UpstreamError.SERVFAIL;
          case Rcode.REFUSED, Rcode.NOTIMP -> UpstreamError.REFUSED;
          default -> UpstreamError.BAD_RCODE;
        };
    srtt.sample(penalty());
    observer.upstreamFailed(upstream.name(), kind);
    return CompletableFuture.failedFuture(
        new UpstreamException(kind, upstream.name() + " answered " + Rcode.string(rcode)));
  }

  private long penalty() {
    return 2 * policy.attemptTimeout().toNanos();
  }

  /** Sends with our own timeout; a synchronous throw becomes a failed stage. */
  private CompletableFuture<Message> send(Upstream upstream, Message query, Transport transport) {
    CompletableFuture<Message> f = new CompletableFuture<>();
    Timers.Cancellable timer =
        timers.schedule(
            policy.attemptTimeout(),
            () ->
                f.completeExceptionally(
                    new UpstreamException(
                        UpstreamError.TIMEOUT,
                        upstream.name() + " did not answer over " + transport + " within "
                            + policy.attemptTimeout())));
    CompletionStage<Message> sent;
    try {
      sent = upstream.query(query, transport);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete(
        (r, e) -> {
          timer.cancel();
          if (e != null) {
            f.completeExceptionally(e);
          } else {
            f.complete(r);
          }
        });
    return f;
  }

  static UpstreamException asUpstreamException(Throwable failure) {
    Throwable t = failure;
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof UpstreamException u) {
      return u;
    }
    return new UpstreamException(UpstreamException.kindOf(t), String.valueOf(t.getMessage()), t);
  }
}
