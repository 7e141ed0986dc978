package io.tierdns.authoritative;

import java.nio.file.Path;

/**
 * One zone file that did not load, reported while the other zones of a directory still serve.
 *
 * @param file the zone file
 * @param line the 1-based line of the fault, 0 when it concerns the whole zone
 * @param message {@code file:line: reason}
 */
public record ZoneLoadError(Path file, int line, String message) {}
