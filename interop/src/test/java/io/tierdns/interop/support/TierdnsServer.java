package io.tierdns.interop.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The packaged tierdns jar in its authoritative quick form:
 * {@code java -jar tierdns.jar run --authoritative DIR --listen 127.0.0.1:PORT}, where every
 * {@code DIR/NAME.zone} is served as zone {@code NAME}. The zone files are copied into the
 * peer's own directory under those names.
 */
public final class TierdnsServer extends PeerProcess {

  public TierdnsServer(Map<String, Path> zones) {
    super("tierdns", zones);
  }

  @Override
  protected List<String> prepare() throws IOException {
    Path jar = Binaries.requireTierdnsJar();
    Path zoneDir = Files.createDirectories(dir().resolve("zones"));
    for (Map.Entry<String, Path> zone : zones().entrySet()) {
      String name = zone.getKey().substring(0, zone.getKey().length() - 1);
      Files.copy(zone.getValue(), zoneDir.resolve(name + ".zone"), StandardCopyOption.REPLACE_EXISTING);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-Xmx512m", "-jar", jar.toString(), "run",
        "--authoritative", zoneDir.toString(), "--listen", "127.0.0.1:" + port());
  }

  @Override
  protected Duration startupTimeout() {
    return Duration.ofSeconds(90);
  }
}
