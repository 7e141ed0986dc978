package io.tierdns.authoritative.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileIoTest {

  @TempDir Path dir;

  @Test
  void writesAndReadsWholeBuffersAcrossSlices() throws Exception {
    byte[] data = new byte[3 * FileIo.SLICE + 17];
    new Random(8).nextBytes(data);
    try (FileChannel ch = FileChannel.open(dir.resolve("j"), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileIo.writeFully(ch, ByteBuffer.wrap(new byte[] {1, 2, 3}));
      FileIo.writeFully(ch, ByteBuffer.wrap(data));
      assertThat(ch.position()).isEqualTo(3 + data.length);
      // Positional: at an offset, leaving the channel's position alone.
      FileIo.writeFully(ch, ByteBuffer.wrap(data, 5, FileIo.SLICE + 1), ch.size());
      assertThat(ch.position()).isEqualTo(3 + data.length);

      ByteBuffer back = ByteBuffer.allocate(data.length);
      assertThat(FileIo.readFully(ch, back, 3)).isEqualTo(data.length);
      assertThat(back.array()).isEqualTo(data);
      assertThat(back.remaining()).isZero();
      ByteBuffer tail = ByteBuffer.allocate(FileIo.SLICE + 10);
      assertThat(FileIo.readFully(ch, tail, 3 + data.length)).as("stops at the end of the file").isEqualTo(FileIo.SLICE + 1);
      assertThat(Arrays.copyOf(tail.array(), FileIo.SLICE + 1)).isEqualTo(Arrays.copyOfRange(data, 5, 5 + FileIo.SLICE + 1));
    }
  }

  /**
   * The JDK keeps the temporary direct buffer a heap buffer went through on the writing thread:
   * written whole, a 16 MiB buffer leaves 16 MiB of native memory behind; in slices, one slice.
   */
  @Test
  void aLargeBufferLeavesOnlyASliceOfNativeMemoryOnTheThread() throws Exception {
    byte[] data = new byte[16 << 20];
    long whole = directGrowth(ch -> ch.write(ByteBuffer.wrap(data)));
    long sliced = directGrowth(ch -> {
      FileIo.writeFully(ch, ByteBuffer.wrap(data));
      FileIo.readFully(ch, ByteBuffer.wrap(data), 0);
    });
    assertThat(whole).as("the measure sees the JDK's temporary buffer").isGreaterThanOrEqualTo(data.length);
    assertThat(sliced).as("direct memory left behind by sliced I/O").isLessThanOrEqualTo(FileIo.SLICE);
  }

  interface Io {
    void run(FileChannel ch) throws Exception;
  }

  /** Direct memory held after {@code io} ran on a fresh thread, measured on that thread. */
  private long directGrowth(Io io) throws Exception {
    Path file = Files.createTempFile(dir, "io", ".bin");
    AtomicLong growth = new AtomicLong();
    AtomicReference<Exception> failed = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        long before = directUsed();
        io.run(ch);
        growth.set(directUsed() - before);
      } catch (Exception e) {
        failed.set(e);
      }
    });
    t.start();
    t.join();
    if (failed.get() != null) {
      throw failed.get();
    }
    return growth.get();
  }

  private static long directUsed() {
    return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(p -> p.getName().equals("direct"))
        .mapToLong(BufferPoolMXBean::getMemoryUsed)
        .sum();
  }
}
