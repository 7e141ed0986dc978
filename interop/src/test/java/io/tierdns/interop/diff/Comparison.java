package io.tierdns.interop.diff;

import io.tierdns.interop.support.ZoneGenerator.Query;
import java.util.EnumSet;
import java.util.Set;

/**
 * The outcome of comparing two servers' answers to one query: identical, equal once some
 * {@link KnownDifference}s are applied, or different.
 */
public record Comparison(Query query, NormalizedAnswer a, NormalizedAnswer b, Set<KnownDifference> allowed, boolean equal) {

  /** Compares the two answers, trying the allow-list only when they differ. */
  public static Comparison of(Query query, String nameA, NormalizedAnswer a, String nameB, NormalizedAnswer b) {
    if (a.equals(b)) {
      return new Comparison(query, a, b, Set.of(), true);
    }
    Set<KnownDifference> used = EnumSet.allOf(KnownDifference.class);
    if (!equalUnder(used, query, nameA, a, nameB, b)) {
      return new Comparison(query, a, b, Set.of(), false);
    }
    // Attribute the difference to the entries it needs, not to every entry that touched it.
    for (KnownDifference rule : KnownDifference.values()) {
      used.remove(rule);
      if (!equalUnder(used, query, nameA, a, nameB, b)) {
        used.add(rule);
      }
    }
    return new Comparison(query, a, b, used, true);
  }

  private static boolean equalUnder(Set<KnownDifference> rules, Query query, String nameA, NormalizedAnswer a,
      String nameB, NormalizedAnswer b) {
    NormalizedAnswer x = a;
    NormalizedAnswer y = b;
    for (KnownDifference rule : rules) {
      KnownDifference.Pair rewritten = rule.apply(query, nameA, x, nameB, y);
      x = rewritten.a();
      y = rewritten.b();
    }
    return x.equals(y);
  }

  /** Equal without any allow-list entry. */
  public boolean identical() {
    return equal && allowed.isEmpty();
  }
}
