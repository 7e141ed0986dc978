package io.tierdns.node;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * The outcome of loading zones: what serves now and what failed.
 *
 * @param zones every zone served after the load
 * @param errors one line per failure, {@code file:line: reason} where the file is at fault;
 *     always present, {@code []} when none (docs/operations.md)
 */
@Serdeable
public record ReloadResult(
    @JsonInclude(JsonInclude.Include.ALWAYS) List<Loaded> zones,
    @JsonInclude(JsonInclude.Include.ALWAYS) List<String> errors) {

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
