package io.tierdns.authoritative;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TTL;
import org.xbill.DNS.Tokenizer;
import org.xbill.DNS.Type;

/**
 * Reads a zone file as dnsjava's {@link Master} does, with dnsjava's own {@link Tokenizer}, names,
 * TTLs, classes, types and record parsers, following {@code Master#nextRecordInternal} step by
 * step, for every file that has no {@code $INCLUDE} and no {@code $GENERATE}.
 *
 * <p>It differs from {@code Master} in one place. After the owner, {@code Master} hands the next
 * token to {@link TTL#parseTTL} and, when the token is no TTL, catches the {@link
 * NumberFormatException} that says so. For every record written without a TTL, the common form
 * under {@code $TTL}, that is one exception made, stack trace and all, and thrown: 0.77 s of the
 * 9.5 s that loading the million-record benchmark zone took on one core. Here a token that does
 * not start with a digit, which {@code TTL.parseTTL} would refuse anyway, is not handed to it.
 *
 * <p>Anything else returns {@code null}, and the caller reads the file again with {@code Master},
 * whose records or error are the answer: {@code $INCLUDE} and {@code $GENERATE}, an SOA without a
 * TTL (whose TTL {@code Master} takes from its MINIMUM field), and every error, so that an
 * operator sees {@code Master}'s message and line for a broken file. {@code ZoneFileFuzzTest}
 * checks both readers against each other on any text.
 */
final class ZoneFileReader {

  private final Tokenizer st;
  private Name origin;
  private long defaultTtl = -1;
  private Record last;

  private ZoneFileReader(Tokenizer st, Name origin) {
    this.st = st;
    this.origin = origin;
  }

  /**
   * The records of a zone file in file order, or {@code null} when only {@code Master} can say
   * what the file holds (see the class comment).
   *
   * @param origin the zone's origin, also the initial {@code $ORIGIN}; absolute
   */
  static List<Record> read(Path file, Name origin) {
    try (Tokenizer st = new Tokenizer(file.toFile())) {
      return new ZoneFileReader(st, origin).readAll();
    } catch (IOException | RuntimeException e) {
      return null; // Master reads the file again and reports the fault as it words it
    }
  }

  private List<Record> readAll() throws IOException {
    List<Record> records = new ArrayList<>();
    while (true) {
      Name name;
      Tokenizer.Token token = st.get(true, false);
      if (token.type() == Tokenizer.WHITESPACE) {
        Tokenizer.Token next = st.get();
        if (next.type() == Tokenizer.EOL) {
          continue;
        } else if (next.type() == Tokenizer.EOF) {
          return records;
        }
        st.unget();
        if (last == null) {
          return null; // no owner
        }
        name = last.getName();
      } else if (token.type() == Tokenizer.EOL) {
        continue;
      } else if (token.type() == Tokenizer.EOF) {
        return records;
      } else if (token.value().charAt(0) == '$') {
        String directive = token.value();
        if (directive.equalsIgnoreCase("$ORIGIN")) {
          origin = st.getName(Name.root);
          st.getEOL();
          continue;
        } else if (directive.equalsIgnoreCase("$TTL")) {
          defaultTtl = st.getTTL();
          st.getEOL();
          continue;
        }
        return null; // $INCLUDE, $GENERATE, or no directive at all
      } else {
        name = Name.fromString(token.value(), origin);
        if (last != null && name.equals(last.getName())) {
          name = last.getName();
        }
      }
      Record r = record(name);
      if (r == null) {
        return null;
      }
      records.add(r);
      last = r;
    }
  }

  /** The rest of a record after its owner: {@code Master#parseTTLClassAndType}, then the data. */
  private Record record(Name name) throws IOException {
    // Any of: class ttl type, ttl class type, class type, ttl type, type.
    String s = st.getString();
    int dclass = DClass.value(s);
    boolean seenClass = dclass >= 0;
    if (seenClass) {
      s = st.getString();
    }
    long ttl = -1;
    boolean ttlGiven = false;
    if (!s.isEmpty() && Character.isDigit(s.charAt(0))) { // as TTL.parse checks before it parses
      try {
        ttl = TTL.parseTTL(s);
        ttlGiven = true;
        s = st.getString();
      } catch (NumberFormatException notATtl) {
        // as Master: the token is read again as the class or the type
      }
    }
    if (!ttlGiven) {
      if (defaultTtl >= 0) {
        ttl = defaultTtl;
      } else if (last != null) {
        ttl = last.getTTL();
      }
    }
    if (!seenClass) {
      dclass = DClass.value(s);
      if (dclass >= 0) {
        s = st.getString();
      } else {
        dclass = DClass.IN;
      }
    }
    int type = Type.value(s);
    if (type < 0 || ttl < 0) {
      return null; // an invalid type; no TTL (an error, or an SOA that takes its MINIMUM)
    }
    return Record.fromString(name, type, dclass, ttl, st, origin);
  }
}
