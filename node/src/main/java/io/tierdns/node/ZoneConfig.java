package io.tierdns.node;

import io.micronaut.context.annotation.EachProperty;
import jakarta.validation.constraints.NotBlank;

/** One entry of {@code tierdns.authoritative.zones}: a zone with an explicit file. */
@EachProperty(value = "tierdns.authoritative.zones", list = true)
public class ZoneConfig {
  @NotBlank private String name;
  @NotBlank private String file;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getFile() {
    return file;
  }

  public void setFile(String file) {
    this.file = file;
  }
}
