package io.tierdns.interop.support;

import java.security.SecureRandom;
import java.util.Base64;
import org.xbill.DNS.TSIG;

/**
 * A TSIG key shared by tierdns and a peer: name, algorithm as the servers spell it
 * ({@code hmac-sha256}) and the secret in base64, as {@code tsig-keygen} prints it.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8945">RFC 8945 TSIG</a>
 */
public record TsigKey(String name, String algorithm, String secret) {

  /** A fresh HMAC-SHA256 key with a random 256-bit secret. */
  public static TsigKey generate(String name) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return new TsigKey(name, "hmac-sha256", Base64.getEncoder().encodeToString(secret));
  }

  /** The same name and algorithm with another (wrong) secret. */
  public TsigKey withWrongSecret() {
    return new TsigKey(name, algorithm, generate(name).secret());
  }

  /** The {@code -y} argument of dig, nsupdate and kdig: {@code ALG:NAME:SECRET}. */
  public String digArgument() {
    return algorithm + ":" + name + ":" + secret;
  }

  /** The key for dnsjava's own clients. */
  public TSIG dnsjava() {
    return new TSIG(algorithm, name, secret);
  }
}
