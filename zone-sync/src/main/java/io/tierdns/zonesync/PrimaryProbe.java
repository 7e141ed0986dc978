package io.tierdns.zonesync;

/** A primary and its answer to our SOA query, during one refresh or audit. */
record PrimaryProbe(SecondaryZoneConfig.Primary primary, SoaOutcome outcome) {}
