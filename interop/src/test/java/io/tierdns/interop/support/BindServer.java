package io.tierdns.interop.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * BIND 9.18 ({@code named -g -c named.conf}) as a primary for the given zones: no recursion,
 * no validation, no NOTIFY (it would look up the zones' NS names), no control channel, and
 * pid and session-key files in its temp dir.
 */
public final class BindServer extends PeerProcess {

  public BindServer(Map<String, Path> zones) {
    super("bind", zones);
  }

  @Override
  protected List<String> prepare() throws IOException {
    Path named = Binaries.require("named");
    StringBuilder conf = new StringBuilder()
        .append("options {\n")
        .append("    directory \"").append(dir()).append("\";\n")
        .append("    pid-file \"").append(dir().resolve("named.pid")).append("\";\n")
        .append("    session-keyfile \"").append(dir().resolve("session.key")).append("\";\n")
        .append("    listen-on port ").append(port()).append(" { 127.0.0.1; };\n")
        .append("    listen-on-v6 { none; };\n")
        .append("    recursion no;\n")
        .append("    dnssec-validation no;\n")
        .append("    notify no;\n")
        .append("    allow-transfer { none; };\n")
        .append("};\n")
        .append("controls { };\n");
    zones().forEach((zone, file) -> conf
        .append("zone \"").append(zone).append("\" { type primary; file \"").append(file).append("\"; };\n"));
    Path config = writeFile("named.conf", conf.toString());
    return List.of(named.toString(), "-g", "-n", "2", "-c", config.toString());
  }
}
