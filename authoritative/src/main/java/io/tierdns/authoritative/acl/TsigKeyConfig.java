package io.tierdns.authoritative.acl;

import java.util.Objects;

/**
 * One TSIG key as configured: {@code tsig-keys: [{name, algorithm, secret}]}.
 *
 * @param name the key name, as both ends spell it (e.g. {@code xfr-key}); made absolute
 * @param algorithm {@code hmac-sha256} (when null or blank), {@code hmac-sha1}, {@code
 *     hmac-sha224}, {@code hmac-sha384} or {@code hmac-sha512}
 * @param secret the shared secret, base64 (as {@code tsig-keygen} and {@code keymgr -t} print it)
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8945#section-6">RFC 8945 §6</a>
 */
public record TsigKeyConfig(String name, String algorithm, String secret) {

  public TsigKeyConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(secret, "secret");
    if (algorithm == null || algorithm.isBlank()) {
      algorithm = TsigKeyring.DEFAULT_ALGORITHM;
    }
  }

  /** A hmac-sha256 key. */
  public TsigKeyConfig(String name, String secret) {
    this(name, null, secret);
  }
}
