package io.tierdns.zonesync;

import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.wire.ForwardingQueryHandler;
import io.tierdns.wire.QueryContext;
import io.tierdns.wire.QueryHandler;
import io.tierdns.wire.Responses;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * The query handler of a secondary, in front of an {@code AuthoritativeHandler} that serves the
 * secondary zones from the shared registry (AXFR/IXFR downstream from the journal included):
 *
 * <ul>
 *   <li>NOTIFY (opcode 4) goes to {@link NotifyIntake} (the authoritative handler answers other
 *       opcodes NOTIMP);
 *   <li>a query for a name in an expired secondary zone is answered SERVFAIL (RFC 1035 §3.3.13:
 *       the zone is no longer authoritative; the zone was removed from the registry, so without
 *       this the authoritative handler would answer REFUSED, which a resolver treats as lame);
 *   <li>a query asking for EDNS EXPIRE gets the time left until the zone expires here (RFC 7314),
 *       through {@link ExpireOptionHandler};
 *   <li>everything else goes to the delegate unchanged.
 * </ul>
 */
public final class SecondaryHandler extends ForwardingQueryHandler {

  private final QueryHandler delegate;
  private final Secondaries secondaries;
  private final NotifyIntake intake;

  /**
   * @param authoritative the authoritative handler over the registry the secondaries publish to,
   *     with {@code secondaries} as its ZoneHistory and {@code secondaries::transferAcl} as ACLs
   * @param keyring the node's TSIG keys (NOTIFY checks and signed answers)
   */
  public SecondaryHandler(QueryHandler authoritative, Secondaries secondaries, TsigKeyring keyring) {
    this.secondaries = Objects.requireNonNull(secondaries, "secondaries");
    this.delegate =
        new ExpireOptionHandler(
            Objects.requireNonNull(authoritative, "authoritative"),
            name -> {
              ZoneFollower f = secondaries.find(name);
              return f == null || f.expired() ? -1 : f.expireSeconds();
            });
    this.intake = new NotifyIntake(secondaries, keyring);
  }

  /**
   * The authoritative handler (through the EXPIRE option), whose packet-cache generation is the
   * registry's version: an expired zone is marked expired before it leaves the registry, so a
   * stored answer never outlives the zone.
   */
  @Override
  protected QueryHandler delegate() {
    return delegate;
  }

  @Override
  public CompletionStage<Message> handle(Message query, QueryContext context) {
    if (NotifyIntake.isNotify(query)) {
      return CompletableFuture.completedFuture(intake.respond(query, context));
    }
    if (expired(query)) {
      return CompletableFuture.completedFuture(Responses.error(query, Rcode.SERVFAIL));
    }
    return delegate.handle(query, context);
  }

  @Override
  public boolean streams(Message query, QueryContext context) {
    return !NotifyIntake.isNotify(query) && !expired(query) && delegate.streams(query, context);
  }

  private boolean expired(Message query) {
    if (query.getHeader().getOpcode() != Opcode.QUERY) {
      return false;
    }
    Record q = query.getQuestion();
    if (q == null) {
      return false;
    }
    ZoneFollower f = secondaries.find(q.getName());
    return f != null && f.expired();
  }
}
