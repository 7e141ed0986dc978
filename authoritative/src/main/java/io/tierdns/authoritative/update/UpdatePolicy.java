package io.tierdns.authoritative.update;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Who may change what in one zone by RFC 2136 UPDATE, modelled on BIND's {@code update-policy}
 * and Knot DNS's ACL update rules.
 *
 * <p>A policy is a list of {@link Grant}s. An update is allowed only when every RR of its update
 * section is permitted by at least one grant for the identity that sent it (all or nothing, RFC
 * 2136 §3.3; REFUSED otherwise). The identity is the TSIG key name that signed the update; an
 * unsigned update has no identity, is accepted only from {@link #allowUnsignedFrom()} (empty by
 * default: TSIG required) and is then matched against the grants that name no key.
 *
 * <p>No policy for a zone means UPDATE is refused for it; {@link #none()} grants nothing.
 *
 * @param grants the rules, any of which may permit an update RR
 * @param allowUnsignedFrom networks from which an unsigned update is considered at all
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2136#section-3.3">RFC 2136 §3.3</a>
 * @see <a href="https://bind9.readthedocs.io/en/latest/reference.html#namedconf-statement-update-policy">BIND update-policy</a>
 */
public record UpdatePolicy(List<Grant> grants, List<Network> allowUnsignedFrom) {

  /**
   * The types a grant with no type list permits: everything except these (as BIND: "all types
   * except RRSIG, NS, SOA, NSEC and NSEC3").
   */
  public static final Set<Integer> DEFAULT_EXCLUDED_TYPES =
      Set.of(Type.RRSIG, Type.NS, Type.SOA, Type.NSEC, Type.NSEC3);

  /** The types the keyword {@code ANY} in a type list does not cover (as BIND). */
  public static final Set<Integer> ANY_EXCLUDED_TYPES = Set.of(Type.NSEC, Type.NSEC3);

  public UpdatePolicy {
    grants = List.copyOf(grants);
    allowUnsignedFrom = List.copyOf(allowUnsignedFrom);
  }

  /** A policy that grants nothing: every update is REFUSED. */
  public static UpdatePolicy none() {
    return new UpdatePolicy(List.of(), List.of());
  }

  /** TSIG-only grants. */
  public static UpdatePolicy of(Grant... grants) {
    return new UpdatePolicy(List.of(grants), List.of());
  }

  /**
   * Builds a policy from configuration text, as the YAML block documented in {@code
   * docs/update.md} gives it.
   *
   * @param zone the zone origin; relative grant names are relative to it
   * @param grants the {@code policy:} entries
   * @param allowUnsignedFrom the {@code allow-unsigned-from:} entries, {@code ADDRESS[/PREFIX]}
   * @throws IllegalArgumentException with a message naming the bad entry
   */
  public static UpdatePolicy parse(Name zone, Collection<GrantConfig> grants, Collection<String> allowUnsignedFrom) {
    List<Grant> parsed = new ArrayList<>();
    for (GrantConfig g : grants) {
      parsed.add(Grant.parse(zone, g));
    }
    List<Network> networks = new ArrayList<>();
    for (String n : allowUnsignedFrom) {
      networks.add(Network.parse(n));
    }
    return new UpdatePolicy(parsed, networks);
  }

  /** True when an unsigned update from this address (4 or 16 bytes) may be considered. */
  public boolean allowsUnsignedFrom(byte[] address) {
    for (Network n : allowUnsignedFrom) {
      if (n.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when some grant lets {@code key} change the RRset {@code (owner, type)}.
   *
   * @param key the TSIG key name that signed the update, or {@code null} for an unsigned update
   */
  public boolean permits(Name key, Name owner, int type) {
    for (Grant g : grants) {
      if (g.permits(key, owner, type)) {
        return true;
      }
    }
    return false;
  }

  /** True when some grant lets {@code key} change some type at {@code owner}. */
  public boolean permitsName(Name key, Name owner) {
    for (Grant g : grants) {
      if (g.appliesTo(key) && g.matchesName(key, owner)) {
        return true;
      }
    }
    return false;
  }

  /** How a grant's name is compared with the owner name of an update RR (BIND's rule types). */
  public enum Match {
    /** Any name in the zone; the grant's name is not used. */
    ZONE,
    /** Exactly the grant's name. */
    NAME,
    /** The grant's name or any name below it. */
    SUBDOMAIN,
    /** The grant's name is a wildcard ({@code *.dyn.example.}); names it would match (strictly below {@code dyn.example.}). */
    WILDCARD,
    /** Exactly the name of the key that signed the update; the grant's name is not used. */
    SELF;

    static Match parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown grant '" + text + "' (zone, name, subdomain, wildcard or self)", e);
      }
    }
  }

  /**
   * One rule: the key {@code key} may change names matching {@code (match, name)} with types in
   * {@code types}.
   *
   * @param key the key name, or {@code null} for a grant to unsigned updates (from {@link
   *     UpdatePolicy#allowUnsignedFrom()} only)
   * @param match how owner names are matched
   * @param name the name matched against ({@code null} for {@link Match#ZONE} and {@link
   *     Match#SELF}); absolute
   * @param types the types that may be changed; empty means all but {@link
   *     #DEFAULT_EXCLUDED_TYPES}; {@link Type#ANY} in the set means all but {@link
   *     #ANY_EXCLUDED_TYPES}
   */
  public record Grant(Name key, Match match, Name name, Set<Integer> types) {

    public Grant {
      types = Set.copyOf(types);
      if ((match == Match.NAME || match == Match.SUBDOMAIN || match == Match.WILDCARD) && name == null) {
        throw new IllegalArgumentException("grant " + match.name().toLowerCase(Locale.ROOT) + " needs a name");
      }
      if (match == Match.WILDCARD && !name.isWild()) {
        throw new IllegalArgumentException("grant wildcard needs a name starting with '*.', not " + name);
      }
      if (match == Match.SELF && key == null) {
        throw new IllegalArgumentException("grant self needs a key");
      }
      if (name != null && !name.isAbsolute()) {
        throw new IllegalArgumentException("grant name " + name + " is not absolute");
      }
    }

    /**
     * Parses one configuration entry.
     *
     * @param zone the origin that relative names are relative to
     */
    public static Grant parse(Name zone, GrantConfig config) {
      try {
        Name key = blank(config.key()) ? null : Name.fromString(config.key(), Name.root);
        Match match = Match.parse(config.grant() == null ? "" : config.grant());
        Name name = blank(config.name()) ? null : Name.fromString(config.name(), zone);
        if (name != null && !name.subdomain(zone) && match != Match.SELF && match != Match.ZONE) {
          throw new IllegalArgumentException("name " + name + " is outside the zone " + zone);
        }
        Set<Integer> types = new TreeSet<>();
        if (config.types() != null) {
          for (String t : config.types()) {
            int type = Type.value(t.trim(), true);
            if (type < 0) {
              throw new IllegalArgumentException("unknown type '" + t + "'");
            }
            types.add(type);
          }
        }
        return new Grant(key, match, name, types);
      } catch (TextParseException e) {
        throw new IllegalArgumentException("update policy entry " + config + ": " + e.getMessage(), e);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("update policy entry " + config + ": " + e.getMessage(), e);
      }
    }

    private static boolean blank(String s) {
      return s == null || s.isBlank();
    }

    /** True when this grant lets {@code key} ({@code null}: unsigned) change {@code (owner, type)}. */
    public boolean permits(Name key, Name owner, int type) {
      return appliesTo(key) && matchesName(key, owner) && matchesType(type);
    }

    boolean appliesTo(Name signer) {
      return key == null ? signer == null : key.equals(signer);
    }

    boolean matchesName(Name signer, Name owner) {
      switch (match) {
        case ZONE:
          return true; // the caller has already checked the owner is in the zone (NOTZONE)
        case NAME:
          return owner.equals(name);
        case SUBDOMAIN:
          return owner.subdomain(name);
        case WILDCARD:
          Name parent = new Name(name, 1);
          return owner.subdomain(parent) && !owner.equals(parent);
        case SELF:
          return signer != null && owner.equals(signer);
        default:
          throw new IllegalStateException("unknown match " + match);
      }
    }

    boolean matchesType(int type) {
      if (types.isEmpty()) {
        return !DEFAULT_EXCLUDED_TYPES.contains(type);
      }
      if (types.contains(Type.ANY)) {
        return !ANY_EXCLUDED_TYPES.contains(type);
      }
      return types.contains(type);
    }
  }

  /**
   * One {@code policy:} entry as configuration gives it, all text.
   *
   * @param key the key name; {@code null} or blank for a grant to unsigned updates
   * @param grant {@code zone}, {@code name}, {@code subdomain}, {@code wildcard} or {@code self}
   * @param name the name for {@code name}/{@code subdomain}/{@code wildcard}, relative to the zone
   *     or absolute
   * @param types type mnemonics ({@code A}, {@code TXT}, {@code ANY} ...), empty for the default set
   */
  public record GrantConfig(String key, String grant, String name, List<String> types) {
    public GrantConfig {
      types = types == null ? List.of() : List.copyOf(types);
    }
  }
}
