package io.tierdns.edge;

import io.tierdns.cache.CachingResolver;
import java.util.Objects;
import org.xbill.DNS.Name;

/** Applies an {@link EvictionPlan} to a {@link CachingResolver}. No I/O. */
public final class CacheEvictor {

  private final CachingResolver resolver;

  public CacheEvictor(CachingResolver resolver) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  /** Removes what the plan names; returns the counts by kind. */
  public Evictions apply(EvictionPlan plan) {
    int rrset = 0;
    int negative = 0;
    int chain = 0;
    int below = 0;
    for (Name n : plan.below()) {
      below += resolver.flushBelow(n);
    }
    for (EvictionPlan.Question q : plan.rrsets()) {
      rrset += resolver.evict(q.name(), q.type());
    }
    for (Name n : plan.allTypes()) {
      rrset += resolver.flush(n);
    }
    for (Name n : plan.negatives()) {
      negative += resolver.evictNegative(n);
    }
    for (Name n : plan.chains()) {
      chain += resolver.evictReferencing(n);
    }
    return new Evictions(rrset, negative, chain, below);
  }

  /** Removes every entry of the zone: when a change happened but cannot be known exactly. */
  public Evictions flushZone(Name zone) {
    return new Evictions(0, 0, 0, resolver.flushBelow(zone));
  }
}
