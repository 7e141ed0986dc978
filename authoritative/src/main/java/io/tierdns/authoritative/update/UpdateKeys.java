package io.tierdns.authoritative.update;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.utils.base64;

/**
 * The TSIG keys UPDATE accepts, by key name. The node adapts its keyring to this; {@link #of}
 * serves tests and simple set-ups.
 *
 * <p>The returned {@link TSIG} verifies the query's MAC and signs the response; build it with
 * {@link #tsig} (dnsjava's {@code TSIG(algorithm, name, key, Clock)}) so its clock is the node's
 * clock: dnsjava reads that clock for the time it puts into a signed response. The time window of
 * an incoming update is checked by {@link UpdateHandler} against its own clock.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8945#section-5.2">RFC 8945 §5.2</a>
 */
@FunctionalInterface
public interface UpdateKeys {

  /** The key with this name (which also fixes its algorithm), or empty when there is none. */
  Optional<TSIG> key(Name keyName);

  /** No keys: every signed update gets BADKEY. */
  static UpdateKeys none() {
    return name -> Optional.empty();
  }

  /** A fixed set of keys. */
  static UpdateKeys of(Map<Name, TSIG> keys) {
    Map<Name, TSIG> copy = Map.copyOf(keys);
    return name -> Optional.ofNullable(copy.get(name));
  }

  /**
   * A TSIG key from its configuration text.
   *
   * @param algorithm {@code hmac-sha256} and the others dnsjava knows (RFC 8945 §6)
   * @param name the key name, as client and server both know it
   * @param secret the shared secret, base64
   * @param clock the clock of signed responses
   * @throws IllegalArgumentException for an unknown algorithm, a bad name or secret
   */
  @SuppressWarnings("deprecation") // nameToAlgorithm: the JCA name dnsjava itself uses for the key
  static TSIG tsig(String algorithm, String name, String secret, Clock clock) {
    Name alg = TSIG.algorithmToName(algorithm);
    byte[] bytes = base64.fromString(secret);
    if (bytes == null || bytes.length == 0) {
      throw new IllegalArgumentException("TSIG key " + name + ": the secret is not base64");
    }
    Name keyName;
    try {
      keyName = Name.fromString(name, Name.root);
    } catch (org.xbill.DNS.TextParseException e) {
      throw new IllegalArgumentException("TSIG key name '" + name + "': " + e.getMessage(), e);
    }
    return new TSIG(alg, keyName, new SecretKeySpec(bytes, TSIG.nameToAlgorithm(alg)), clock);
  }
}
