package io.tierdns.node;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * The outcome of loading zones: what serves now and what failed.
 *
 * @param zones every zone served after the load
 * @param errors one line per failure, {@code file:line: reason} where the file is at fault
 */
@Serdeable
public record ReloadResult(List<Loaded> zones, List<String> errors) {

  /**
   * One served zone.
   *
   * @param zone the zone name
   * @param serial its SOA serial
   * @param previous true when the file failed to load and the previous version keeps serving
   */
  @Serdeable
  public record Loaded(String zone, long serial, boolean previous) {}
}
