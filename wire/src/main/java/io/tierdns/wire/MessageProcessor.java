package io.tierdns.wire;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/**
 * Turns the bytes of one query into the bytes of its response, independent of any socket.
 *
 * <p>Design note. This is the whole DNS-level contract of the wire layer, kept free of Netty so it
 * can be tested byte for byte. In order:
 *
 * <ol>
 *   <li>a plain standard query whose answer is in the {@link PacketCache} (the handler's {@link
 *       QueryHandler#cacheGeneration()} is not negative and the query has a {@link PacketKey}):
 *       the stored bytes with the query's ID and question spelling patched in, without parsing
 *       the query; a miss stores the encoded answer of the normal path below;
 *   <li>fewer than 12 bytes, or QR set: silence (never answer a response: RFC 1035 §4.1.1, and no
 *       reflection loops between two servers);
 *   <li>unparseable: FORMERR built from the raw header ({@link Responses#formErr});
 *   <li>a section shorter than its count (dnsjava accepts that silently when TC is set): FORMERR;
 *       an opcode other than QUERY, NOTIFY and UPDATE: NOTIMP, whatever its QDCOUNT; QDCOUNT ≠ 1, an OPT outside the additional section or more than one OPT: FORMERR (RFC 6891
 *       §6.1.1); OPT version above 0: BADVERS (RFC 6891 §6.1.3);
 *   <li>otherwise the {@link QueryHandler}; a thrown exception or a failed stage becomes SERVFAIL, a
 *       {@code null} response silence;
 *   <li>encoding: our OPT is added only when the query had one (RFC 6891 §7), with our payload size
 *       and the query's DO bit (RFC 3225 §3); the size limit is 512 without EDNS0, else the
 *       smaller of the client's and our payload size (never under 512), and 65535 on TCP.
 *       dnsjava's {@code Message.toWire(int)} truncates by whole RRsets and sets TC when the
 *       answer or authority section does not fit; an additional-section overflow drops records
 *       without TC (RFC 2181 §9), unless it drops in-domain glue of a referral: then TC is set
 *       too (RFC 9471 §3, {@link InDomainGlue}), and the packet cache stores the answer as
 *       sent, TC included, under its size limit. The OPT is reserved before anything else so it always fits.
 *       When the query's OPT has a COOKIE option, ours carries the client cookie and a fresh
 *       server cookie ({@link DnsCookies}); a malformed COOKIE option is a FORMERR (RFC 7873
 *       §5.2.2);
 *   <li>on UDP, with response rate limiting on, every response but those to a query with a valid
 *       server cookie, packet-cache hits and the wire layer's own errors included, is accounted
 *       to its client prefix and class ({@link ResponseRateLimiter}): over the rate it is dropped,
 *       or every {@code rrlSlip}-th time replaced by its header and question with TC set. TCP is
 *       never limited: a TCP client has proven its address.
 * </ol>
 *
 * <p>The handler's message is never modified: it is cloned before the ID, QR, question and OPT are
 * fixed up, so a handler may return a shared, cached message.
 *
 * <p>On TCP, {@link #processStream} lets the handler answer with several messages ({@link
 * ResponseStream}): each is patched like a single response, the OPT goes on the first only, and
 * when the stream has a key every message is TSIG-signed in order as the very last step (RFC 8945
 * §5.3.1). A query answered with one message costs nothing more than in {@link #process}.
 *
 * <p>The returned stage never completes exceptionally; it completes with {@code null} when nothing
 * is to be sent.
 */
public final class MessageProcessor {

  private static final Logger log = LoggerFactory.getLogger(MessageProcessor.class);
  private static final CompletableFuture<byte[]> SILENCE = CompletableFuture.completedFuture(null);
  private static final Object DROP = new Object();

  private final QueryHandler handler;
  private final WireOptions options;
  private final WireObserver observer;
  private final LogOnce handlerFailures = new LogOnce(log);
  private final PacketCache packetCache;
  private final DnsCookies cookies;
  private final ResponseRateLimiter rrl;
  private final LongSupplier nanoClock;

  public MessageProcessor(QueryHandler handler, WireOptions options, WireObserver observer) {
    this(
        handler,
        options,
        observer,
        options.cookies() ? DnsCookies.withRandomSecret() : null,
        System::nanoTime);
  }

  /**
   * For tests: the cookie secret and clock, and the rate limiter's nanosecond clock, are given.
   *
   * @param cookies {@code null} to answer no cookies
   */
  MessageProcessor(
      QueryHandler handler,
      WireOptions options,
      WireObserver observer,
      DnsCookies cookies,
      LongSupplier nanoClock) {
    this.handler = Objects.requireNonNull(handler, "handler");
    this.options = Objects.requireNonNull(options, "options");
    this.observer = Objects.requireNonNull(observer, "observer");
    this.packetCache =
        options.packetCacheBytes() > 0
            ? new PacketCache(options.packetCacheBytes(), options.udpPayloadSize())
            : null;
    this.cookies = cookies;
    this.nanoClock = nanoClock;
    this.rrl =
        options.rrlEnabled()
            ? new ResponseRateLimiter(
                options.rrlResponsesPerSecond(),
                options.rrlSlip(),
                options.rrlTableSize(),
                nanoClock,
                ThreadLocalRandom.current().nextLong())
            : null;
  }

  /**
   * Processes one query.
   *
   * @param wire the raw query, without the TCP length prefix
   * @return a stage with the encoded response, or with {@code null} for silence; never fails
   */
  public CompletionStage<byte[]> process(byte[] wire, QueryContext context) {
    observer.queryReceived(context.transport());
    PacketKey key = cacheKey(wire, context.transport());
    if (key != null) {
      byte[] hit = fromCache(key, wire, context.transport());
      if (hit != null) {
        return CompletableFuture.completedFuture(rateLimited(hit, context));
      }
    }
    return processUncached(wire, context, key);
  }

  /**
   * Processes queries received together (one batch of datagrams) exactly as {@link #process}
   * does each, in order, except that the packet cache is searched for all of them before any is
   * answered. A look-up in a cache larger than the CPU's caches waits for memory at each of its
   * pointers; looking the batch's queries up one after another lets the CPU follow several of
   * them at once (docs/benchmarks.md). A query whose answer another query of the same batch
   * would have stored goes to the handler, as it would on a cold cache.
   *
   * @param wires the raw queries
   * @param results gets the answer to {@code wires[i]} in {@code results[i]}: its bytes
   *     ({@code byte[]}) when it is ready at once, as a packet-cache hit is (no stage is made for
   *     it), else a {@code CompletionStage<byte[]>} as {@link #process} returns
   */
  public void process(byte[][] wires, QueryContext[] contexts, int count, Object[] results) {
    if (packetCache == null) {
      for (int i = 0; i < count; i++) {
        results[i] = process(wires[i], contexts[i]);
      }
      return;
    }
    PacketKey[] keys = new PacketKey[count];
    for (int i = 0; i < count; i++) {
      observer.queryReceived(contexts[i].transport());
      keys[i] = cacheKey(wires[i], contexts[i].transport());
    }
    // results[i] holds what the look-up found until it is replaced by the answer below
    for (int i = 0; i < count; i++) {
      results[i] = keys[i] != null ? packetCache.lookUp(keys[i]) : null;
    }
    for (int i = 0; i < count; i++) {
      PacketKey key = keys[i];
      if (key != null) {
        byte[] hit = fromCache(results[i], key, wires[i], contexts[i].transport());
        if (hit != null) {
          byte[] sent = rateLimited(hit, contexts[i]);
          results[i] = sent != null ? sent : SILENCE;
          continue;
        }
      }
      results[i] = processUncached(wires[i], contexts[i], key);
    }
  }

  private CompletionStage<byte[]> processUncached(byte[] wire, QueryContext context, PacketKey key) {
    Object admitted = admit(wire, context);
    if (admitted == DROP) {
      return SILENCE;
    }
    if (admitted instanceof byte[]) {
      return CompletableFuture.completedFuture(rateLimited((byte[]) admitted, context));
    }
    Message query = (Message) admitted;
    CompletionStage<byte[]> answer = answer(query, wire, context, key);
    if (!rateLimits(context) || provenSource(query, context)) {
      return answer;
    }
    return answer.thenApply(bytes -> rateLimited(bytes, context));
  }

  /**
   * Processes one query received on TCP, where the handler may answer with several messages
   * ({@link QueryHandler#streams}). A query answered with one message goes through exactly the
   * path of {@link #process}. Every message is rendered before the stage completes; the TCP
   * listener uses {@link #processFrames}, which renders them as the connection takes them.
   *
   * @param wire the raw query, without the TCP length prefix
   * @return a stage with the encoded messages in sending order, empty for silence; never fails.
   *     When a message of a stream cannot be rendered, the whole response is one SERVFAIL
   */
  public CompletionStage<List<byte[]>> processStream(byte[] wire, QueryContext context) {
    return processFrames(wire, context).thenApply(MessageProcessor::drain);
  }

  private static List<byte[]> drain(Iterator<byte[]> frames) {
    List<byte[]> out = new ArrayList<>();
    try {
      while (frames.hasNext()) {
        out.add(frames.next());
      }
    } catch (RuntimeException e) {
      return List.of(((StreamFrames) frames).servFail(e));
    }
    return out;
  }

  /**
   * {@link #processStream}, with the messages of a stream rendered one at a time, as {@code next()}
   * is called: a million-record zone transfer is never all in memory, and its first messages
   * reach the client while the next are rendered. A message that cannot be rendered is answered
   * with SERVFAIL when it is the first; after the first, {@code next()} throws and the caller
   * closes the connection (the client sees a transfer cut short, as from any server).
   */
  CompletionStage<Iterator<byte[]>> processFrames(byte[] wire, QueryContext context) {
    observer.queryReceived(context.transport());
    PacketKey key = cacheKey(wire, context.transport());
    if (key != null) {
      byte[] hit = fromCache(key, wire, context.transport());
      if (hit != null) {
        return CompletableFuture.completedFuture(frames(hit));
      }
    }
    Object admitted = admit(wire, context);
    if (admitted == DROP) {
      return CompletableFuture.completedFuture(Collections.emptyIterator());
    }
    if (admitted instanceof byte[]) {
      return CompletableFuture.completedFuture(frames((byte[]) admitted));
    }
    Message query = (Message) admitted;
    QueryContext withWire = context.withWire(wire);
    boolean streams;
    try {
      streams = handler.streams(query, withWire);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(frames(servFail(query, context, e)));
    }
    if (!streams) {
      return answer(query, wire, context, key).thenApply(MessageProcessor::frames);
    }
    CompletionStage<ResponseStream> stage;
    try {
      stage =
          Objects.requireNonNull(
              handler.handleStream(query, withWire), "handler returned no stage");
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(frames(servFail(query, context, e)));
    }
    return stage.handle((stream, failure) -> respondStream(query, stream, failure, context));
  }

  private static Iterator<byte[]> frames(byte[] single) {
    return single == null ? Collections.emptyIterator() : List.of(single).iterator();
  }

  /** The packet-cache key of a query, or {@code null} when the cache is off or must be bypassed. */
  private PacketKey cacheKey(byte[] wire, Transport transport) {
    if (packetCache == null) {
      return null;
    }
    long generation;
    try {
      generation = handler.cacheGeneration();
    } catch (RuntimeException e) {
      handlerFailures.log("query handler cacheGeneration failed, bypassing the packet cache", e);
      return null;
    }
    return packetCache.key(wire, transport, generation);
  }

  /** The patched stored answer, or {@code null} on a miss. */
  private byte[] fromCache(PacketKey key, byte[] wire, Transport transport) {
    return fromCache(packetCache.lookUp(key), key, wire, transport);
  }

  /** {@link #fromCache(PacketKey, byte[], Transport)} from what was looked up for the key. */
  private byte[] fromCache(Object stored, PacketKey key, byte[] wire, Transport transport) {
    byte[] bytes = packetCache.answer(stored, key, wire, nanoClock);
    if (bytes == null) {
      observer.packetCacheMiss(transport);
      return null;
    }
    observer.packetCacheHit(transport);
    handler.replayed();
    observer.responseSent(
        transport, PacketCache.rcode(bytes), bytes.length, PacketCache.truncated(bytes));
    return bytes;
  }

  /**
   * The wire layer's own checks: the parsed query when the handler is to answer it, the encoded
   * answer (byte[]) when the wire layer answers itself, or {@link #DROP} for silence. One object
   * of three kinds keeps the hot path free of an extra allocation.
   */
  private Object admit(byte[] wire, QueryContext context) {
    Transport transport = context.transport();
    if (wire.length < Header.LENGTH) {
      observer.dropped(transport, DropReason.SHORT);
      return DROP;
    }
    if ((wire[2] & 0x80) != 0) {
      observer.dropped(transport, DropReason.RESPONSE);
      return DROP;
    }
    Message query = parse(wire);
    if (query == null) {
      byte[] formErr = unparseable(wire, transport);
      return formErr == null ? DROP : formErr;
    }
    Message rejection = validate(query);
    if (rejection == null && query.getOPT() != null && OptScrubber.malformedCookie(wire)) {
      // dnsjava refused the option, so parse() read the query without its options.
      rejection = Responses.error(query, Rcode.FORMERR);
    }
    if (rejection != null) {
      if (rejection.getHeader().getRcode() == Rcode.FORMERR) {
        observer.formErr(transport);
      }
      return encode(query, rejection, context, null, null);
    }
    return query;
  }

  /** Asks the handler; with a {@code key}, the encoded answer is offered to the packet cache. */
  private CompletionStage<byte[]> answer(
      Message query, byte[] wire, QueryContext context, PacketKey key) {
    CompletionStage<Message> stage;
    try {
      stage =
          Objects.requireNonNull(
              handler.handle(query, context.withWire(wire)), "handler returned no stage");
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(servFail(query, context, e));
    }
    return stage.handle(
        (response, failure) -> respond(query, response, failure, context, key, wire));
  }

  private Iterator<byte[]> respondStream(
      Message query, ResponseStream stream, Throwable failure, QueryContext context) {
    if (failure != null) {
      return frames(servFail(query, context, failure));
    }
    if (stream == null) {
      observer.dropped(context.transport(), DropReason.HANDLER_SILENT);
      return Collections.emptyIterator();
    }
    try {
      return new StreamFrames(query, stream, context);
    } catch (RuntimeException e) { // the first message cannot be built
      return frames(servFail(query, context, e));
    }
  }

  /**
   * Patches and renders the messages of a stream, one per {@link #next()}. The OPT goes on the
   * first message only (RFC 5936 §2.2.5 asks for it there; Knot DNS and BIND send it there alone).
   * Signing comes last, so each MAC covers the bytes as sent (RFC 8945 §5.3.1); it chains the
   * messages, so they are rendered in order, each once.
   */
  private final class StreamFrames implements Iterator<byte[]> {
    private final Message query;
    private final QueryContext context;
    private final Iterator<Message> messages;
    private final OPTRecord queryOpt;
    /**
     * An unsigned stream of one message is rendered by dnsjava exactly as a single response (it
     * may carry a key the handler set); longer streams, zone transfers, and every signed stream
     * by our renderer: the same bytes in linear time.
     */
    private final StreamRenderer renderer;
    /** The key signing every message, or null. */
    private final TSIG key;
    /** The MAC the next signed message's MAC covers: the query's, then each message's. */
    private TSIGRecord previousTsig;
    /** The next message to render, already taken from the iterator; null after the last. */
    private Message pending;
    private int next;
    private boolean failed;
    /** Why the message after the last rendered one could not be built, or null. */
    private RuntimeException broken;

    StreamFrames(Message query, ResponseStream stream, QueryContext context) {
      this.query = query;
      this.context = context;
      this.messages = stream.messages().iterator();
      this.key = stream.key();
      this.previousTsig = stream.queryTsig();
      this.queryOpt = query.getOPT();
      this.pending = messages.next();
      this.renderer = key != null || messages.hasNext() ? new StreamRenderer() : null;
    }

    @Override
    public boolean hasNext() {
      return !failed && (pending != null || broken != null);
    }

    @Override
    public byte[] next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      int i = next++;
      if (broken != null) {
        throw failedAt(i, broken);
      }
      byte[] frame;
      try {
        frame = render(i, pending);
      } catch (RuntimeException e) { // a message the handler built cannot be rendered
        if (i == 0) {
          failed = true;
          return servFail(e);
        }
        throw failedAt(i, e);
      }
      try {
        pending = messages.hasNext() ? messages.next() : null;
      } catch (RuntimeException e) { // the next message cannot be built: this one still goes
        pending = null;
        broken = e;
      }
      return frame;
    }

    /** Ends the stream: message {@code i} (from 0) failed, with {@code cause}. */
    private WireException failedAt(int i, RuntimeException cause) {
      failed = true;
      return new WireException(
          "message " + (i + 1) + " of a response stream failed: " + cause, cause);
    }

    /** The SERVFAIL that stands for the whole stream. */
    byte[] servFail(RuntimeException e) {
      return MessageProcessor.this.servFail(query, context, e);
    }

    private byte[] render(int i, Message message) {
      Transport transport = context.transport();
      Message out = patch(query, message, i == 0 ? queryOpt : null, context);
      byte[] bytes;
      if (key != null) {
        out.setTSIG(null); // a key the handler set on the message would sign it a second time
        // What TSIG.StreamGenerator does, on our rendering of Message#toWire() (records in list
        // order, the OPT where it stands): the first MAC covers the query's MAC and every TSIG
        // variable, each later one the previous MAC and the timers (RFC 8945 §5.3.1); dnsjava
        // would render every message twice, in quadratic time.
        TSIGRecord tsig =
            key.generate(out, renderer.render(out), Rcode.NOERROR, previousTsig, i == 0);
        previousTsig = tsig;
        bytes = renderer.append(tsig, Section.ADDITIONAL);
      } else {
        int limit = limit(queryOpt, transport);
        bytes = renderer == null ? null : renderer.render(out, limit);
        if (bytes == null) {
          bytes = out.toWire(limit);
        }
      }
      if (bytes.length > WireOptions.MAX_MESSAGE || (bytes[2] & 0x02) != 0) {
        throw new WireException(
            "message " + (i + 1) + " of a response stream does not fit in one TCP frame");
      }
      return send(out, bytes, transport);
    }
  }

  private byte[] respond(
      Message query,
      Message response,
      Throwable failure,
      QueryContext context,
      PacketKey key,
      byte[] wire) {
    if (failure != null) {
      return servFail(query, context, failure);
    }
    if (response == null) {
      observer.dropped(context.transport(), DropReason.HANDLER_SILENT);
      return null;
    }
    try {
      return encode(query, response, context, key, wire);
    } catch (RuntimeException e) { // a record the handler built cannot be rendered
      return servFail(query, context, e);
    }
  }

  /**
   * The parsed query, or {@code null} when it cannot be read. A query that fails only on a
   * malformed EDNS option is read without its options (RFC 6891 §6.1.2); the handler still gets
   * the original bytes in its context.
   */
  private static Message parse(byte[] wire) {
    try {
      return new Message(wire);
    } catch (Exception e) { // WireParseException and the odd runtime exception from rdata checks
      byte[] scrubbed = OptScrubber.withoutOptions(wire);
      if (scrubbed == null) {
        return null;
      }
      try {
        return new Message(scrubbed);
      } catch (Exception again) {
        return null;
      }
    }
  }

  /** FORMERR, BADVERS or {@code null} when the query may go to the handler. */
  private static Message validate(Message query) {
    // dnsjava stops parsing without an error when TC is set and a record is malformed, leaving
    // a section shorter than its header count; for a query that is a format error.
    for (int section = Section.QUESTION; section <= Section.ADDITIONAL; section++) {
      if (query.getSection(section).size() != query.getHeader().getCount(section)) {
        return Responses.error(query, Rcode.FORMERR);
      }
    }
    int opcode = query.getHeader().getOpcode();
    if (opcode != Opcode.QUERY && opcode != Opcode.NOTIFY && opcode != Opcode.UPDATE) {
      // An opcode we do not implement is NOTIMP whatever its question count (RFC 1035 §4.1.1;
      // DSO, RFC 8490 §5.1, has none): the opcode decides how the rest is read.
      return Responses.error(query, Rcode.NOTIMP);
    }
    if (query.getHeader().getCount(Section.QUESTION) != 1) {
      return Responses.error(query, Rcode.FORMERR);
    }
    if (hasOpt(query, Section.ANSWER) || hasOpt(query, Section.AUTHORITY)) {
      return Responses.error(query, Rcode.FORMERR);
    }
    int opts = 0;
    for (Record r : query.getSection(Section.ADDITIONAL)) {
      if (r instanceof OPTRecord) {
        opts++;
      }
    }
    if (opts > 1) {
      return Responses.error(query, Rcode.FORMERR);
    }
    OPTRecord opt = query.getOPT();
    if (opt != null && opt.getVersion() > 0) {
      return Responses.error(query, Rcode.BADVERS);
    }
    return null;
  }

  private static boolean hasOpt(Message query, int section) {
    for (Record r : query.getSection(section)) {
      if (r instanceof OPTRecord) {
        return true;
      }
    }
    return false;
  }

  private byte[] unparseable(byte[] wire, Transport transport) {
    observer.formErr(transport);
    try {
      Message formErr = Responses.formErr(wire);
      return send(formErr, formErr.toWire(WireOptions.MIN_UDP_PAYLOAD), transport);
    } catch (Exception e) { // cannot happen with 12 header bytes; never let it escape
      handlerFailures.log("building FORMERR failed", e);
      observer.dropped(transport, DropReason.WRITE_FAILED);
      return null;
    }
  }

  private byte[] servFail(Message query, QueryContext context, Throwable failure) {
    handlerFailures.log("query handler failed, answering SERVFAIL", unwrap(failure));
    return encode(query, Responses.error(query, Rcode.SERVFAIL), context, null, null);
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * Fixes up a clone of {@code response} (ID, QR, question, OPT) and renders it within the limit;
   * with a packet-cache {@code key}, stores a copy of the bytes for the next identical query.
   */
  private byte[] encode(
      Message query, Message response, QueryContext context, PacketKey key, byte[] wire) {
    Transport transport = context.transport();
    OPTRecord queryOpt = query.getOPT();
    Message out = patch(query, response, queryOpt, context);
    // A TSIG key set by the handler (Message#setTSIG) survives clone(): toWire signs last, and
    // the packet cache refuses a response that ends in a TSIG record.
    int limit = limit(queryOpt, transport);
    byte[] bytes = out.toWire(limit);
    int glue = InDomainGlue.required(out);
    if (glue > 0 && InDomainGlue.dropped(out, bytes, glue, query.getTSIG() != null)) {
      // RFC 9471 §3: in-domain glue that does not fit sets TC, so the resolver asks over TCP;
      // what fits is still sent. Set before rendering again so a TSIG covers it.
      out.getHeader().setFlag(Flags.TC);
      bytes = out.toWire(limit);
    }
    if (key != null) {
      int replay = replaySeconds(query, response);
      if (replay != 0) {
        packetCache.put(key, wire, bytes.clone(), out.getRcode(), replay, nanoClock.getAsLong());
      }
    }
    return send(out, bytes, transport);
  }

  /** The handler's {@link QueryHandler#replaySeconds}; a failure stores nothing. */
  private int replaySeconds(Message query, Message response) {
    try {
      return handler.replaySeconds(query, response);
    } catch (RuntimeException e) {
      handlerFailures.log("query handler replaySeconds failed, not storing the answer", e);
      return 0;
    }
  }

  /** A clone of {@code response} with the query's ID, QR, the question's case and our OPT. */
  private Message patch(
      Message query, Message response, OPTRecord queryOpt, QueryContext context) {
    Message out = response.clone();
    Header h = out.getHeader();
    h.setID(query.getHeader().getID());
    h.setFlag(Flags.QR);
    preserveQuestionCase(query, out);
    OPTRecord handlerOpt = removeOpts(out);
    if (queryOpt != null) {
      out.addRecord(serverOpt(queryOpt, handlerOpt, context), Section.ADDITIONAL);
    }
    return out;
  }

  private byte[] send(Message rendered, byte[] bytes, Transport transport) {
    boolean truncated = (bytes[2] & 0x02) != 0;
    observer.responseSent(transport, rendered.getRcode(), bytes.length, truncated);
    return bytes;
  }

  /**
   * The size limit for the response: 65535 on TCP; on UDP 512 without EDNS0, else the smaller of
   * the client's and our payload size, never below 512 (RFC 6891 §6.2.3, §6.2.5).
   */
  int limit(OPTRecord queryOpt, Transport transport) {
    return sizeLimit(
        transport,
        queryOpt != null,
        queryOpt == null ? 0 : queryOpt.getPayloadSize(),
        options.udpPayloadSize());
  }

  /** {@link #limit} from its parts, shared with {@link PacketKey}. */
  static int sizeLimit(Transport transport, boolean edns, int clientPayload, int ourPayload) {
    if (transport == Transport.TCP) {
      return WireOptions.MAX_MESSAGE;
    }
    if (!edns) {
      return WireOptions.MIN_UDP_PAYLOAD;
    }
    return Math.max(WireOptions.MIN_UDP_PAYLOAD, Math.min(clientPayload, ourPayload));
  }

  /**
   * Our OPT: our payload size, version 0, the query's DO bit; the extended rcode and options (such
   * as Extended DNS Errors) of the handler's OPT are kept; the COOKIE option is ours (RFC 7873
   * §5.2).
   */
  private OPTRecord serverOpt(OPTRecord queryOpt, OPTRecord handlerOpt, QueryContext context) {
    int flags = queryOpt.getFlags() & ExtendedFlags.DO;
    CookieOption cookie = cookieAnswer(queryOpt, context);
    if (handlerOpt == null && cookie == null) {
      return new OPTRecord(options.udpPayloadSize(), 0, 0, flags);
    }
    List<EDNSOption> optionList = new ArrayList<>();
    if (handlerOpt != null) {
      for (EDNSOption option : handlerOpt.getOptions()) {
        if (option.getCode() != EDNSOption.Code.COOKIE) {
          optionList.add(option);
        }
      }
    }
    if (cookie != null) {
      optionList.add(cookie);
    }
    int extendedRcode = handlerOpt == null ? 0 : handlerOpt.getExtendedRcode();
    return new OPTRecord(options.udpPayloadSize(), extendedRcode, 0, flags, optionList);
  }

  /** Our COOKIE option for the query's, or {@code null} when it has none or cookies are off. */
  private CookieOption cookieAnswer(OPTRecord queryOpt, QueryContext context) {
    CookieOption query = queryCookie(queryOpt);
    if (query == null || cookies == null || context.remote() == null) {
      return null;
    }
    return cookies.answer(query, context.remote().getAddress());
  }

  /** The first COOKIE option of the query (RFC 7873 §5.2: later ones are ignored), or null. */
  private static CookieOption queryCookie(OPTRecord queryOpt) {
    if (queryOpt == null) {
      return null;
    }
    List<EDNSOption> found = queryOpt.getOptions(EDNSOption.Code.COOKIE);
    return found.isEmpty() ? null : (CookieOption) found.get(0);
  }

  /** Whether the query carries a server cookie we made for its source address. */
  private boolean provenSource(Message query, QueryContext context) {
    CookieOption cookie = queryCookie(query.getOPT());
    return cookie != null
        && cookies != null
        && context.remote() != null
        && cookies.valid(cookie, context.remote().getAddress());
  }

  private boolean rateLimits(QueryContext context) {
    return rrl != null && context.transport() == Transport.UDP && context.remote() != null;
  }

  /**
   * The response as response rate limiting lets it go: itself, {@code null} (dropped) or its
   * slipped, truncated form. Anything but UDP with RRL on passes unchanged.
   */
  private byte[] rateLimited(byte[] response, QueryContext context) {
    if (response == null || !rateLimits(context)) {
      return response;
    }
    InetAddress client = context.remote().getAddress();
    switch (rrl.check(client.getAddress(), RrlClass.of(response))) {
      case PASS:
        return response;
      case SLIP:
        observer.rrlSlipped();
        return Slip.of(response);
      default:
        observer.rrlDropped();
        return null;
    }
  }

  /** Removes every OPT from the additional section; returns the first one, if any. */
  private static OPTRecord removeOpts(Message message) {
    List<OPTRecord> opts = new ArrayList<>(1);
    for (Record r : message.getSection(Section.ADDITIONAL)) {
      if (r instanceof OPTRecord) {
        opts.add((OPTRecord) r);
      }
    }
    for (OPTRecord opt : opts) {
      message.removeRecord(opt, Section.ADDITIONAL);
    }
    return opts.isEmpty() ? null : opts.get(0);
  }

  /**
   * Puts the query's own question record into the response when the handler's question is the same
   * question in another letter case, so the question goes back byte for byte (DNS 0x20).
   */
  private static void preserveQuestionCase(Message query, Message response) {
    Record asked = query.getQuestion();
    List<Record> questions = response.getSection(Section.QUESTION);
    if (asked == null || questions.size() != 1) {
      return;
    }
    Record given = questions.get(0);
    if (given != asked
        && given.getType() == asked.getType()
        && given.getDClass() == asked.getDClass()
        && given.getName().equals(asked.getName())) {
      response.removeAllRecords(Section.QUESTION);
      response.addRecord(asked, Section.QUESTION);
    }
  }
}
