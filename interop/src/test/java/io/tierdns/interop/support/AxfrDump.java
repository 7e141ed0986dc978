package io.tierdns.interop.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A zone as one server transfers it, for zones too large for {@link ZoneContent} (hundreds of
 * thousands of records): the real {@code dig AXFR} writes straight to a file (no pipe to fill),
 * and each record line is kept as dig printed it, lower-cased with its fields joined by one
 * space, in a set. Both servers' copies are printed by the same dig, so equal record sets give
 * equal lines whatever the order or letter case the servers transferred in.
 */
public record AxfrDump(String server, long serial, Set<String> records) {

  /** Transfers {@code zone} from 127.0.0.1:{@code port} (TSIG-signed when {@code key} is not null), bounded by {@code seconds}. */
  public static AxfrDump of(String server, int port, String zone, TsigKey key, Path file, int seconds)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Binaries.require("dig").toString(), "@127.0.0.1", "-p",
        Integer.toString(port)));
    if (key != null) {
      command.addAll(List.of("-y", key.digArgument()));
    }
    command.addAll(List.of("+nocmd", "+nostats", "+nocomments", "+time=10", "+tries=1", zone, "AXFR"));
    Process dig = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(file.toFile()).start();
    if (!dig.waitFor(seconds, TimeUnit.SECONDS)) {
      dig.destroyForcibly();
      throw new AssertionError("dig AXFR " + zone + " from " + server + " did not finish within " + seconds + " s");
    }
    Set<String> records = new HashSet<>();
    long serial = -1;
    int soas = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank() || line.startsWith(";")) {
          continue;
        }
        String[] fields = line.trim().split("\\s+");
        if (fields.length >= 4 && fields[3].equals("TSIG")) {
          continue;
        }
        if (fields.length >= 7 && fields[3].equals("SOA")) {
          soas++;
          serial = Long.parseLong(fields[6]);
        }
        records.add(String.join(" ", fields).toLowerCase(Locale.ROOT));
      }
    }
    if (soas < 2) {
      throw new AssertionError("AXFR " + zone + " from " + server + " did not complete (" + soas + " SOA lines): "
          + String.join(" ", command) + "\n" + Files.readString(file).lines().limit(20).toList());
    }
    return new AxfrDump(server, serial, records);
  }

  /** Empty when both hold the same records; else counts and up to 10 examples each way. */
  public String differencesFrom(AxfrDump other) {
    List<String> onlyHere = records.stream().filter(r -> !other.records.contains(r)).sorted().limit(10).toList();
    List<String> onlyThere = other.records.stream().filter(r -> !records.contains(r)).sorted().limit(10).toList();
    if (onlyHere.isEmpty() && onlyThere.isEmpty()) {
      return "";
    }
    return "only in " + server + " (" + records.size() + " records, serial " + serial + "), first 10: " + onlyHere
        + "\nonly in " + other.server + " (" + other.records.size() + " records, serial " + other.serial
        + "), first 10: " + onlyThere;
  }
}
