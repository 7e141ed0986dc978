package io.tierdns.authoritative.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Whole-buffer reads and writes of a journal file, in slices of at most {@link #SLICE} bytes.
 *
 * <p>A {@link FileChannel} hands a heap buffer to the kernel through a temporary direct buffer as
 * large as what it is given, and keeps that buffer cached on the calling thread for the thread's
 * life. A million-record snapshot written or read in one call therefore left about 50 MiB of
 * native memory behind on the thread that did it (NMT's "Other"), for as long as the process ran.
 * Slices bound what stays behind to {@code SLICE} bytes per thread.
 */
final class FileIo {

  static final int SLICE = 256 * 1024;

  private FileIo() {}

  /** Writes all of {@code b} at the channel's position. */
  static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ByteBuffer slice = slice(b);
      int n = ch.write(slice);
      b.position(b.position() + n);
    }
  }

  /** Writes all of {@code b} at file offset {@code at}; the channel's position is unchanged. */
  static void writeFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
    long offset = at;
    while (b.hasRemaining()) {
      ByteBuffer slice = slice(b);
      int n = ch.write(slice, offset);
      b.position(b.position() + n);
      offset += n;
    }
  }

  /**
   * Reads into {@code b} from file offset {@code at} until it is full or the file ends.
   *
   * @return the bytes read
   */
  static int readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
    int total = 0;
    while (b.hasRemaining()) {
      ByteBuffer slice = slice(b);
      int n = ch.read(slice, at + total);
      if (n < 0) {
        break;
      }
      b.position(b.position() + n);
      total += n;
    }
    return total;
  }

  /** The next at most {@code SLICE} bytes of {@code b}, sharing its content. */
  private static ByteBuffer slice(ByteBuffer b) {
    ByteBuffer slice = b.duplicate();
    slice.limit(Math.min(b.limit(), b.position() + SLICE));
    return slice;
  }
}
