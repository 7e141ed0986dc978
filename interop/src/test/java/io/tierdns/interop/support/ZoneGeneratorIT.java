package io.tierdns.interop.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.interop.support.ZoneGenerator.Generated;
import io.tierdns.interop.support.ZoneGenerator.Query;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZoneGeneratorIT {

  @Test
  void sameSeedGivesTheSameZonesAndQueries(@TempDir Path dir) throws Exception {
    Generated first = new ZoneGenerator(7, 600).writeTo(dir.resolve("a"));
    Generated second = new ZoneGenerator(7, 600).writeTo(dir.resolve("b"));

    assertThat(Files.readString(first.zones().get(ZoneGenerator.ZONE)))
        .isEqualTo(Files.readString(second.zones().get(ZoneGenerator.ZONE)));
    assertThat(first.queries()).isEqualTo(second.queries());
  }

  @Test
  void generatedZonesPassNamedCheckzoneWithLocalIntegrityChecks(@TempDir Path dir) throws Exception {
    Generated generated = new ZoneGenerator(20240101, 3000).writeTo(dir);

    ZoneGenerator.check(generated);

    assertThat(generated.names()).isGreaterThanOrEqualTo(3000);
  }

  @Test
  void queriesCoverEveryAuthoritativeCase(@TempDir Path dir) throws Exception {
    Generated generated = new ZoneGenerator(1, 1000).writeTo(dir);

    Set<String> kinds = generated.queries().stream().map(Query::kind).collect(Collectors.toSet());
    assertThat(kinds).contains("apex", "host", "cname-chain", "cname-to-other-zone", "cname-out-of-zone",
        "wildcard", "wildcard-nodata", "empty-non-terminal", "ent-blocks-wildcard", "wildcard-cname",
        "delegation", "delegation-ds", "below-delegation", "glue-name", "mx-additional", "srv-additional",
        "txt-large", "nxdomain", "refused", "host+0x20");
  }
}
