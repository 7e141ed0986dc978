package io.tierdns.authoritative.journal;

/**
 * A journal entry saying: the zone file whose content hashes to {@code sha256} holds the zone at
 * {@code serial}. At start-up and on reload a zone file with another hash was edited by hand.
 *
 * @param serial the zone version written to the file
 * @param sha256 the SHA-256 of the file's bytes, lower-case hex
 */
public record FlushMark(long serial, String sha256) {}
