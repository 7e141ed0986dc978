package io.tierdns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

class RecordListTest {

  private static Record a(int i) {
    try {
      return new ARecord(
          Name.fromConstantString("h" + i + ".bench.test."),
          DClass.IN,
          300,
          InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}));
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static List<Record> records(int from, int count) {
    List<Record> out = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      out.add(a(i));
    }
    return out;
  }

  @Test
  void readsAsTheListItWasMadeOf() {
    List<Record> expected = records(0, 3 * RecordList.CHUNK + 17);
    RecordList list = RecordList.of(expected);
    assertThat(list).containsExactlyElementsOf(expected); // the iterator
    List<Record> byForEach = new ArrayList<>();
    list.forEach(byForEach::add);
    assertThat(byForEach).isEqualTo(expected);
    for (int i = expected.size() - 1; i >= 0; i -= 7) { // backwards: get without its window
      assertThat(list.get(i)).isSameAs(expected.get(i));
    }
    assertThatThrownBy(() -> list.get(expected.size())).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> list.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(RecordList.of(List.of())).isEmpty();
  }

  @Test
  void aSpliceSharesTheChunksItDoesNotTouchAndLeavesTheListAsItWas() {
    List<Record> base = records(0, 10 * RecordList.CHUNK);
    RecordList list = RecordList.of(base);
    RecordList next =
        list.splice(new int[] {5, 4000}, new int[] {6, 4000}, List.of(List.of(a(-1)), records(100_000, 3)));
    List<Record> expected = new ArrayList<>(base);
    expected.addAll(4000, records(100_000, 3));
    expected.set(5, a(-1));
    assertThat(next).isEqualTo(expected);
    assertThat(list).isEqualTo(base);
    assertThat(next.get(9003)).as("an untouched chunk: the same record object").isSameAs(base.get(9000));
  }

  @Test
  void randomSplicesAgreeWithAnArrayList() {
    Random random = new Random(7);
    for (int seed = 0; seed < 20; seed++) {
      List<Record> expected = records(0, random.nextInt(5000));
      RecordList list = RecordList.of(expected);
      int fresh = 1_000_000;
      for (int step = 0; step < 30; step++) {
        int runs = 1 + random.nextInt(4);
        int[] from = new int[runs];
        int[] to = new int[runs];
        List<List<Record>> with = new ArrayList<>();
        int at = 0;
        for (int r = 0; r < runs; r++) {
          int left = expected.size() - at;
          from[r] = at + (left == 0 ? 0 : random.nextInt(left + 1));
          int span = expected.size() - from[r];
          to[r] = from[r] + (span == 0 ? 0 : random.nextInt(Math.min(span, 3000) + 1));
          int n = random.nextInt(3) == 0 ? random.nextInt(2500) : random.nextInt(3);
          with.add(records(fresh, n));
          fresh += n;
          at = to[r];
        }
        List<Record> next = new ArrayList<>();
        int copied = 0;
        for (int r = 0; r < runs; r++) {
          next.addAll(expected.subList(copied, from[r]));
          next.addAll(with.get(r));
          copied = to[r];
        }
        next.addAll(expected.subList(copied, expected.size()));
        RecordList before = list;
        List<Record> beforeExpected = expected;
        list = list.splice(from, to, with);
        expected = next;
        assertThat(list).as("seed %d step %d", seed, step).isEqualTo(expected);
        assertThat(before).isEqualTo(beforeExpected);
        for (int i = 0; i < expected.size(); i += 1 + random.nextInt(50)) {
          assertThat(list.get(i)).isSameAs(expected.get(i));
        }
      }
    }
  }

  @Test
  void runsOutOfOrderOrRangeAreRefused() {
    RecordList list = RecordList.of(records(0, 10));
    assertThatThrownBy(() -> list.splice(new int[] {5, 2}, new int[] {6, 3}, List.of(List.of(), List.of())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> list.splice(new int[] {5}, new int[] {11}, List.of(List.of())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(list.splice(new int[0], new int[0], List.of())).isEqualTo(list);
  }
}
