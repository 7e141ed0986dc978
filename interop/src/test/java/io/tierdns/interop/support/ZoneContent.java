package io.tierdns.interop.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * A zone as one server transfers it: {@code dig AXFR} against 127.0.0.1, the output parsed by
 * dnsjava's master-file reader, and kept as a set of records in RFC 4034 §6.2 canonical form
 * (owner and embedded names lower-cased, TTL included), so two servers' copies compare as
 * record sets whatever order and letter case they transfer in.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5936">RFC 5936 AXFR</a>
 */
public record ZoneContent(String server, String zone, long serial, Map<String, String> records) {

  private static final Pattern TSIG_LINE = Pattern.compile("^\\S+\\s+\\d+\\s+ANY\\s+TSIG\\s");

  /**
   * Transfers {@code zone} from 127.0.0.1:{@code port} with the real {@code dig}, TSIG-signed
   * when {@code key} is not null; fails unless the transfer is complete (SOA first and last).
   */
  public static ZoneContent axfr(String server, int port, String zone, TsigKey key) {
    List<String> args = new ArrayList<>();
    if (key != null) {
      args.add("-y");
      args.add(key.digArgument());
    }
    args.addAll(List.of("+nocmd", "+nostats", "+time=5", "+tries=1", zone, "AXFR"));
    Dig.Result result = Dig.dig(port).run(args.toArray(String[]::new));
    List<Record> parsed = parse(result);
    if (parsed.size() < 2 || parsed.get(0).getType() != Type.SOA || parsed.get(parsed.size() - 1).getType() != Type.SOA
        || result.output().contains("Transfer failed")) {
      throw new AssertionError("AXFR " + zone + " from " + server + " did not complete:\n" + result);
    }
    Map<String, String> records = new TreeMap<>();
    for (Record record : parsed.subList(0, parsed.size() - 1)) {
      records.put(HexFormat.of().formatHex(record.toWireCanonical()), record.toString());
    }
    long serial = ((SOARecord) parsed.get(0)).getSerial();
    return new ZoneContent(server, zone, serial, records);
  }

  private static List<Record> parse(Dig.Result result) {
    List<Record> records = new ArrayList<>();
    // dig prints the TSIG of each signed message as a record; dnsjava has no text form for it
    String text = result.output().lines().filter(line -> !TSIG_LINE.matcher(line).find())
        .collect(Collectors.joining("\n", "", "\n"));
    try (Master master = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Name.root)) {
      Record record;
      while ((record = master.nextRecord()) != null) {
        records.add(record);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot parse the output of " + result.command() + ": " + e.getMessage() + "\n" + result, e);
    }
    return records;
  }

  /** The records only in this copy or only in {@code other}; empty when both are the same. */
  public String differencesFrom(ZoneContent other) {
    String onlyHere = records.keySet().stream().filter(k -> !other.records.containsKey(k))
        .map(records::get).sorted().collect(Collectors.joining("\n  "));
    String onlyThere = other.records.keySet().stream().filter(k -> !records.containsKey(k))
        .map(other.records::get).sorted().collect(Collectors.joining("\n  "));
    if (onlyHere.isEmpty() && onlyThere.isEmpty()) {
      return "";
    }
    return "only in " + server + " (" + records.size() + " records, serial " + serial + "):\n  " + onlyHere
        + "\nonly in " + other.server + " (" + other.records.size() + " records, serial " + other.serial + "):\n  "
        + onlyThere;
  }

  /** Whether some record's presentation form contains {@code text}. */
  public boolean containsText(String text) {
    return records.values().stream().anyMatch(r -> r.contains(text));
  }

  /** Every TXT RDATA, keyed by lower-case owner name (several strings of one owner joined by a newline). */
  public Map<String, String> txtByOwner() {
    Map<String, String> txt = new TreeMap<>();
    for (String record : records.values()) {
      String[] fields = record.split("\t", 5);
      if (fields.length == 5 && fields[3].equals("TXT")) {
        txt.merge(fields[0].toLowerCase(Locale.ROOT), fields[4], (a, b) -> a + "\n" + b);
      }
    }
    return txt;
  }

  /** The records in presentation form. */
  public List<String> presentation() {
    return List.copyOf(records.values());
  }
}
