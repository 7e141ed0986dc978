package io.tierdns.zonesync;

import java.util.Objects;
import org.xbill.DNS.SOARecord;

/**
 * A primary's answer to our SOA query: its SOA (and the EDNS EXPIRE it sent, RFC 7314), or why
 * there is none.
 */
public sealed interface SoaOutcome {

  /**
   * The primary answered authoritatively with its SOA.
   *
   * @param soa its SOA record
   * @param ednsExpire the EDNS EXPIRE option's value in seconds, or -1 when it sent none
   */
  record Answer(SOARecord soa, long ednsExpire) implements SoaOutcome {
    public Answer {
      Objects.requireNonNull(soa, "soa");
    }

    public long serial() {
      return soa.getSerial();
    }
  }

  /**
   * No usable answer.
   *
   * @param failure the kind of failure
   * @param detail for logs and the state
   */
  record Failed(TransferFailure failure, String detail) implements SoaOutcome {
    public Failed {
      Objects.requireNonNull(failure, "failure");
    }
  }
}
