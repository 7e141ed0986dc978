package io.tierdns.authoritative.update;

import io.tierdns.authoritative.RcodeCounters;
import io.micrometer.core.instrument.MeterRegistry;
import io.tierdns.authoritative.AuthoritativeException;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.edit.CommitResult;
import io.tierdns.authoritative.edit.ZoneEditException;
import io.tierdns.authoritative.edit.ZoneWriter;
import io.tierdns.wire.QueryContext;
import io.tierdns.wire.QueryHandler;
import io.tierdns.wire.Responses;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

/**
 * Answers RFC 2136 UPDATE messages: the DNS-facing side of dynamic update.
 *
 * <p>Design note. The order is that of RFC 8945 §5.2 and RFC 2136 §3:
 *
 * <ol>
 *   <li>TSIG, when the request carries one: unknown key or algorithm, bad MAC, or time outside the
 *       fudge give NOTAUTH with TSIG error BADKEY, BADSIG or BADTIME (the first two unsigned,
 *       BADTIME signed, RFC 8945 §5.3.2). From here on every answer is signed with the request's
 *       key.
 *   <li>Zone section (§3.1.1): exactly one RR, type SOA, class IN, else FORMERR. The zone must be
 *       served here (NOTAUTH otherwise, §3.1.2) and have an {@link UpdatePolicy} (REFUSED
 *       otherwise).
 *   <li>An unsigned update is REFUSED unless the policy allows unsigned updates from the client's
 *       address.
 *   <li>More than {@code maxRecords} RRs in the prerequisite and update sections together: REFUSED
 *       (a local policy limit, RFC 2136 §2.2; the message itself is well formed, so not FORMERR,
 *       and a retry cannot help, so not SERVFAIL). Nothing is applied.
 *   <li>The {@link UpdateProcessor} edit is committed through the {@link ZoneWriter}, which runs it
 *       under the zone's write lock (prerequisites, policy, prescan, processing) and makes it
 *       durable before this answers NOERROR. A {@link ZoneEditException} becomes its rcode.
 * </ol>
 *
 * Nothing escapes: an unexpected failure is logged and answered SERVFAIL (signed when the request
 * was verified). Commits block on the journal's fsync, so {@link #handle} runs on the executor
 * given at construction, off the network threads.
 *
 * <p>Metrics: {@code update.requests{rcode}}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2136#section-3">RFC 2136 §3</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8945#section-5.2">RFC 8945 §5.2</a>
 */
public final class UpdateHandler implements QueryHandler {

  private static final Logger log = LoggerFactory.getLogger(UpdateHandler.class);

  /** The default of {@code tierdns.authoritative.update-max-records}: RRs per UPDATE message. */
  public static final int DEFAULT_MAX_RECORDS = 1000;

  private final ZoneRegistry zones;
  private final ZoneWriter writer;
  private final Function<Name, Optional<UpdatePolicy>> policies;
  private final UpdateKeys keys;
  private final Clock clock;
  private final Executor executor;
  private final Metrics metrics;
  private final int maxRecords;

  /**
   * A handler that commits on the calling thread and keeps no metrics.
   *
   * @see #UpdateHandler(ZoneRegistry, ZoneWriter, Function, UpdateKeys, Clock, Executor,
   *     MeterRegistry)
   */
  public UpdateHandler(
      ZoneRegistry zones,
      ZoneWriter writer,
      Function<Name, Optional<UpdatePolicy>> policies,
      UpdateKeys keys,
      Clock clock) {
    this(zones, writer, policies, keys, clock, Runnable::run, null);
  }

  /**
   * @param zones the zones served here (a zone not in it is NOTAUTH)
   * @param writer the write path that commits an edit durably
   * @param policies the update policy of a zone; empty refuses UPDATE for it
   * @param keys the TSIG keys
   * @param clock the clock TSIG times are checked against
   * @param executor where {@link #handle} runs the commit (it blocks on fsync); {@code
   *     Runnable::run} for the calling thread
   * @param meters where {@code update.*} meters go, or {@code null} for none
   */
  public UpdateHandler(
      ZoneRegistry zones,
      ZoneWriter writer,
      Function<Name, Optional<UpdatePolicy>> policies,
      UpdateKeys keys,
      Clock clock,
      Executor executor,
      MeterRegistry meters) {
    this(zones, writer, policies, keys, clock, executor, meters, DEFAULT_MAX_RECORDS);
  }

  /**
   * As {@link #UpdateHandler(ZoneRegistry, ZoneWriter, Function, UpdateKeys, Clock, Executor,
   * MeterRegistry)}, with a limit on the RRs of one message.
   *
   * @param maxRecords the most prerequisite plus update RRs one UPDATE may carry; more is REFUSED
   */
  public UpdateHandler(
      ZoneRegistry zones,
      ZoneWriter writer,
      Function<Name, Optional<UpdatePolicy>> policies,
      UpdateKeys keys,
      Clock clock,
      Executor executor,
      MeterRegistry meters,
      int maxRecords) {
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords must be at least 1, not " + maxRecords);
    }
    this.maxRecords = maxRecords;
    this.zones = Objects.requireNonNull(zones, "zones");
    this.writer = Objects.requireNonNull(writer, "writer");
    this.policies = Objects.requireNonNull(policies, "policies");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.metrics = new Metrics(meters);
  }

  /** Answers on the executor; the stage never fails. */
  @Override
  public CompletionStage<Message> handle(Message query, QueryContext context) {
    try {
      return CompletableFuture.supplyAsync(() -> respond(query, context), executor);
    } catch (RuntimeException rejected) { // a saturated executor: answer SERVFAIL at once
      log.warn("update executor rejected a request: {}", rejected.toString());
      return CompletableFuture.completedFuture(Responses.error(query, Rcode.SERVFAIL));
    }
  }

  /**
   * Answers one UPDATE synchronously (the commit blocks until durable). Never throws.
   *
   * @param query the parsed request
   * @param context its transport, client address and raw bytes ({@link QueryContext#wire()} is
   *     needed to verify TSIG)
   */
  public Message respond(Message query, QueryContext context) {
    Signer signer = Signer.NONE;
    Message response;
    try {
      TSIGRecord tsig = query.getTSIG();
      if (tsig != null) {
        TsigCheck.Result check = TsigCheck.verify(query, context.wire(), keys, clock);
        signer = new Signer(check.key(), check.error(), tsig);
        if (!check.verified()) {
          log.info(
              "update refused: TSIG {} for key {} from {}",
              Rcode.TSIGstring(check.error()),
              tsig.getName(),
              remote(context));
          return finish(Responses.error(query, Rcode.NOTAUTH), signer);
        }
      }
      response = process(query, context, tsig == null ? null : tsig.getName());
    } catch (RuntimeException e) {
      log.error("update failed unexpectedly, answering SERVFAIL", e);
      response = Responses.error(query, Rcode.SERVFAIL);
    }
    return finish(response, signer);
  }

  private Message process(Message query, QueryContext context, Name key) {
    if (query.getHeader().getOpcode() != Opcode.UPDATE) {
      return Responses.error(query, Rcode.NOTIMP);
    }
    Record zoneRR = query.getQuestion();
    if (query.getHeader().getCount(Section.ZONE) != 1
        || zoneRR == null
        || zoneRR.getType() != Type.SOA
        || zoneRR.getDClass() != DClass.IN) {
      return Responses.error(query, Rcode.FORMERR);
    }
    Name zone = zoneRR.getName();
    if (zones.zone(zone).isEmpty()) {
      log.info("update refused: zone={} not served here (from {})", zone, remote(context));
      return Responses.error(query, Rcode.NOTAUTH);
    }
    Optional<UpdatePolicy> policy = policies.apply(zone);
    if (policy.isEmpty()) {
      log.info("update refused: zone={} takes no updates (from {})", zone, remote(context));
      return Responses.error(query, Rcode.REFUSED);
    }
    if (key == null && !policy.get().allowsUnsignedFrom(address(context))) {
      log.info("update refused: zone={} unsigned update from {}", zone, remote(context));
      return Responses.error(query, Rcode.REFUSED);
    }
    int records = query.getSection(Section.PREREQ).size() + query.getSection(Section.UPDATE).size();
    if (records > maxRecords) {
      log.info(
          "update refused: zone={} {} records, more than the limit of {} (from {})",
          zone, records, maxRecords, remote(context));
      return Responses.error(query, Rcode.REFUSED);
    }
    UpdateProcessor.Edit edit = UpdateProcessor.edit(query, key, policy.get());
    CommitResult result;
    try {
      result = writer.commit(zone, edit);
    } catch (ZoneEditException e) {
      int rcode = UpdateErrors.rcodeOf(e);
      log.info(
          "update rejected: zone={} key={} from {}: {} {}",
          zone, key, remote(context), Rcode.string(rcode), e.getMessage());
      return Responses.error(query, rcode);
    } catch (AuthoritativeException e) { // the zone's own rules (ZoneSnapshot) refused the result
      log.info("update rejected: zone={} key={} from {}: {}", zone, key, remote(context), e.getMessage());
      return Responses.error(query, Rcode.REFUSED);
    }
    for (String skipped : edit.ignored()) {
      log.info("update zone={} key={}: ignored {}", zone, key, skipped);
    }
    log.info(
        "update zone={} serial={} key={} from {}: {}",
        zone,
        result.serial(),
        key,
        remote(context),
        result.changed() ? "applied" : "no change");
    return Responses.reply(query);
  }

  private Message finish(Message response, Signer signer) {
    signer.sign(response);
    metrics.response(response.getHeader().getRcode());
    return response;
  }

  private static byte[] address(QueryContext context) {
    return context.remote() == null || context.remote().getAddress() == null
        ? null
        : context.remote().getAddress().getAddress();
  }

  private static String remote(QueryContext context) {
    return String.valueOf(context.remote());
  }

  /** How the response is signed (RFC 8945 §5.3): the wire layer renders it with this TSIG. */
  private record Signer(TSIG key, int error, TSIGRecord request) {
    static final Signer NONE = new Signer(null, Rcode.NOERROR, null);

    void sign(Message response) {
      if (key != null) {
        response.setTSIG(key, error, request);
      }
    }
  }

  /** {@code update.*} meters; a no-op without a registry. */
  private static final class Metrics {
    private final RcodeCounters requests;

    Metrics(MeterRegistry meters) {
      this.requests = new RcodeCounters(meters, "update.requests", "RFC 2136 UPDATE requests answered, by rcode");
    }

    void response(int rcode) {
      requests.increment(rcode);
    }
  }
}
