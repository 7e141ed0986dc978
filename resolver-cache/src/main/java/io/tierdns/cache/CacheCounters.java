package io.tierdns.cache;

/**
 * Per-cache counters since start, for the admin API.
 *
 * @param hits queries answered from fresh entries
 * @param misses queries that found no fresh entry (stale lookups included)
 * @param staleAnswers queries answered with stale data
 * @param servfails queries answered SERVFAIL for lack of an upstream answer
 * @param prefetches background refreshes of popular entries
 * @param coalesced queries that joined an identical upstream query in flight
 * @param upstreamQueries upstream answers received (any rcode)
 * @param upstreamErrors failed upstream attempts (timeouts, SERVFAIL, REFUSED, socket errors)
 * @param entries entries held, stale ones included
 * @param weightBytes estimated memory of the entries
 * @param evictions entries evicted for size
 */
public record CacheCounters(
    long hits,
    long misses,
    long staleAnswers,
    long servfails,
    long prefetches,
    long coalesced,
    long upstreamQueries,
    long upstreamErrors,
    long entries,
    long weightBytes,
    long evictions) {}
