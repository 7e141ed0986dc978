package io.tierdns.interop.tools;

import io.tierdns.interop.support.DumpPeerLogsOnFailure;
import io.tierdns.interop.support.TierdnsServer;
import io.tierdns.interop.support.ZoneGenerator;
import io.tierdns.interop.support.ZoneGenerator.Generated;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the tool ITs: one packaged tierdns server ({@link TierdnsServer}) for the whole test
 * class, serving the zones of a {@link ZoneGenerator} run written to a fresh temp directory;
 * started before the first test, closed after the last, peer logs dumped on a failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DumpPeerLogsOnFailure.class)
abstract class GeneratedZonesServer {

  private final long seed;
  private final int names;
  private final String tempPrefix;

  /** The generated zones and their query list. */
  Generated zones;
  /** The running server. */
  TierdnsServer tierdns;

  /** Serves {@code new ZoneGenerator(seed, names)} written under a temp dir named {@code tempPrefix...}. */
  GeneratedZonesServer(long seed, int names, String tempPrefix) {
    this.seed = seed;
    this.names = names;
    this.tempPrefix = tempPrefix;
  }

  @BeforeAll
  void start() throws Exception {
    zones = new ZoneGenerator(seed, names).writeTo(Files.createTempDirectory(tempPrefix));
    tierdns = new TierdnsServer(zones.zones());
    tierdns.start();
  }

  @AfterAll
  void stop() {
    if (tierdns != null) {
      tierdns.close();
    }
  }
}
