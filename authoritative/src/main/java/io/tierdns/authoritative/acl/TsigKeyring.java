package io.tierdns.authoritative.acl;

import java.time.Clock;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.TextParseException;

/**
 * The TSIG keys this server knows, by name, and the check of a signed query against them.
 *
 * <p>Design note. Verification is dnsjava's {@link TSIG#verify}, which checks in the order of RFC
 * 8945 §5.2: key name and algorithm (BADKEY), MAC (BADSIG, including a MAC truncated below the
 * §5.2.2.1 minimum), then time within fudge (BADTIME). It needs the query exactly as received,
 * which {@code QueryContext.wire()} carries. Time is the injected clock, so BADTIME is testable
 * without waiting.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8945#section-5.2">RFC 8945 §5.2</a>
 */
public final class TsigKeyring {

  /** The algorithm of a key configured without one. */
  public static final String DEFAULT_ALGORITHM = "hmac-sha256";

  private static final Map<String, Name> ALGORITHMS =
      Map.of(
          "hmac-sha1", TSIG.HMAC_SHA1,
          "hmac-sha224", TSIG.HMAC_SHA224,
          "hmac-sha256", TSIG.HMAC_SHA256,
          "hmac-sha384", TSIG.HMAC_SHA384,
          "hmac-sha512", TSIG.HMAC_SHA512);

  private static final TsigKeyring EMPTY = new TsigKeyring(Map.of(), Clock.systemUTC());

  private final Map<Name, TSIG> keys;
  private final Clock clock;

  private TsigKeyring(Map<Name, TSIG> keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  /** No keys: every signed query fails with BADKEY. */
  public static TsigKeyring empty() {
    return EMPTY;
  }

  /** A keyring on the system clock. */
  public static TsigKeyring of(Collection<TsigKeyConfig> configs) {
    return of(configs, Clock.systemUTC());
  }

  /**
   * Builds a keyring.
   *
   * @param clock the time TSIG records are signed with and checked against
   * @throws IllegalArgumentException naming the key when a name, algorithm or secret is invalid, or
   *     a name is given twice
   */
  public static TsigKeyring of(Collection<TsigKeyConfig> configs, Clock clock) {
    Objects.requireNonNull(clock, "clock");
    Map<Name, TSIG> keys = new LinkedHashMap<>();
    for (TsigKeyConfig config : configs) {
      Name name = keyName(config.name());
      Name algorithm = ALGORITHMS.get(config.algorithm().toLowerCase(java.util.Locale.ROOT));
      if (algorithm == null) {
        throw new IllegalArgumentException(
            "TSIG key " + config.name() + ": unsupported algorithm " + config.algorithm()
                + ", expected one of " + ALGORITHMS.keySet());
      }
      byte[] secret;
      try {
        secret = Base64.getDecoder().decode(config.secret().trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "TSIG key " + config.name() + ": the secret is not valid base64", e);
      }
      if (secret.length == 0) {
        throw new IllegalArgumentException("TSIG key " + config.name() + ": the secret is empty");
      }
      String jca = TSIG.nameToAlgorithm(algorithm);
      TSIG key = new TSIG(algorithm, name, new SecretKeySpec(secret, jca), clock);
      if (keys.putIfAbsent(name, key) != null) {
        throw new IllegalArgumentException("TSIG key " + config.name() + " is defined twice");
      }
    }
    return new TsigKeyring(Map.copyOf(keys), clock);
  }

  /** Parses a key name as configured; a relative name is taken as absolute. */
  public static Name keyName(String name) {
    try {
      return Name.fromString(name, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("invalid TSIG key name " + name, e);
    }
  }

  /** The key of that name, to sign outgoing messages (NOTIFY) with. */
  public Optional<TSIG> key(Name name) {
    return Optional.ofNullable(keys.get(name));
  }

  /** Whether a key of that name is configured. */
  public boolean contains(Name name) {
    return keys.containsKey(name);
  }

  public int size() {
    return keys.size();
  }

  /**
   * Checks the TSIG record of a query.
   *
   * @param query the parsed query
   * @param wire the query exactly as received; required when the query is signed
   * @return unsigned, verified, or failed with BADKEY / BADSIG / BADTIME
   */
  public TsigVerification verify(Message query, byte[] wire) {
    TSIGRecord tsig = query.getTSIG();
    if (tsig == null) {
      return TsigVerification.UNSIGNED;
    }
    TSIG key = keys.get(tsig.getName());
    if (key == null || wire == null) {
      return new TsigVerification.Failed(Rcode.BADKEY, errorKey(tsig), tsig);
    }
    int result = key.verify(query, wire, null);
    if (result == Rcode.NOERROR) {
      return new TsigVerification.Verified(tsig.getName(), key, tsig);
    }
    if (result == Rcode.BADKEY) { // the algorithm differs from the configured key's
      return new TsigVerification.Failed(Rcode.BADKEY, errorKey(tsig), tsig);
    }
    if (result == Rcode.BADTIME) {
      // §5.2.3: the BADTIME answer is signed with the (good) key
      return new TsigVerification.Failed(Rcode.BADTIME, key, tsig);
    }
    return new TsigVerification.Failed(Rcode.BADSIG, errorKey(tsig), tsig);
  }

  /**
   * A key object carrying the query's key name and algorithm, for an unsigned error TSIG record
   * (§5.3.2: the MAC is empty, so the secret is never used). Null for an algorithm dnsjava does
   * not know.
   */
  private TSIG errorKey(TSIGRecord tsig) {
    try {
      String jca = TSIG.nameToAlgorithm(tsig.getAlgorithm());
      return new TSIG(tsig.getAlgorithm(), tsig.getName(), new SecretKeySpec(new byte[] {0}, jca), clock);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
