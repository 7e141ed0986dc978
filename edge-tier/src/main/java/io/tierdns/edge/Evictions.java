package io.tierdns.edge;

/**
 * How many cache entries one change removed, by kind (the {@code kind} tag of {@code
 * edge.evictions}).
 *
 * @param rrset entries of the changed questions (exact, or every type of a name whose CNAME
 *     changed)
 * @param negative NXDOMAIN and NODATA entries of names whose existence may have changed
 * @param chain entries of other questions whose CNAME/DNAME chain passes through a changed name
 * @param below entries removed with a whole subtree (wildcard, DNAME, delegation, or a zone flush
 *     when the change could not be known exactly)
 */
public record Evictions(int rrset, int negative, int chain, int below) {

  public static final Evictions NONE = new Evictions(0, 0, 0, 0);

  public int total() {
    return rrset + negative + chain + below;
  }

  public Evictions plus(Evictions o) {
    return new Evictions(rrset + o.rrset, negative + o.negative, chain + o.chain, below + o.below);
  }
}
