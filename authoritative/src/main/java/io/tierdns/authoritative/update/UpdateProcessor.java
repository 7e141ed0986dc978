package io.tierdns.authoritative.update;

import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.ZoneChange;
import io.tierdns.authoritative.edit.ZoneEdit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns an RFC 2136 UPDATE message into a {@link ZoneEdit}: pure logic, no sockets, no TSIG.
 *
 * <p>The edit runs under the zone's write lock ({@link io.tierdns.authoritative.edit.ZoneWriter}),
 * so the prerequisites it checks still hold when its changes are applied. In the RFC's order:
 *
 * <ol>
 *   <li>prerequisites, §3.2 ({@link Prerequisites}): FORMERR, NOTZONE, NXDOMAIN, YXDOMAIN,
 *       NXRRSET, YXRRSET;
 *   <li>update section prescan with the policy check, §3.4.1 and §3.3 ({@link
 *       UpdateSection#prescan}): NOTZONE, FORMERR, REFUSED — for any RR, nothing is applied;
 *   <li>processing, §3.4.2 ({@link UpdateSection#apply}) on a {@link ZoneDraft}, whose net effect
 *       becomes the edit's changes (one replace or delete per RRset that differs).
 * </ol>
 *
 * Failures are {@link io.tierdns.authoritative.edit.ZoneEditException}s carrying the RFC's rcode.
 * The zone section (§3.1) and TSIG are the {@link UpdateHandler}'s business; the additional section
 * is not used (§3.5).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2136#section-3">RFC 2136 §3</a>
 */
public final class UpdateProcessor {

  private UpdateProcessor() {}

  /**
   * The edit an UPDATE asks for.
   *
   * @param update the parsed UPDATE message (its prerequisite and update sections are used)
   * @param key the name of the TSIG key that signed it and was verified, or {@code null} when
   *     unsigned
   * @param policy the zone's update policy
   */
  public static Edit edit(Message update, Name key, UpdatePolicy policy) {
    return new Edit(
        update.getSection(Section.PREREQ), update.getSection(Section.UPDATE), key, policy);
  }

  /**
   * The edit of one UPDATE. It may be run more than once (each run starts afresh); {@link
   * #ignored()} tells what the last run skipped as RFC 2136 §3.4.2 says.
   */
  public static final class Edit implements ZoneEdit {
    private final List<Record> prerequisites;
    private final List<Record> updates;
    private final Name key;
    private final UpdatePolicy policy;
    private volatile List<String> ignored = List.of();

    Edit(List<Record> prerequisites, List<Record> updates, Name key, UpdatePolicy policy) {
      this.prerequisites = List.copyOf(prerequisites);
      this.updates = List.copyOf(updates);
      this.key = key;
      this.policy = Objects.requireNonNull(policy, "policy");
    }

    @Override
    public List<ZoneChange> changes(ZoneSnapshot current) {
      encodable(prerequisites);
      encodable(updates);
      ZoneDraft draft = new ZoneDraft(current);
      Prerequisites.check(prerequisites, draft);
      UpdateSection.prescan(updates, draft, key, policy);
      List<String> skipped = new ArrayList<>();
      UpdateSection.apply(updates, draft, skipped::add);
      ignored = Collections.unmodifiableList(skipped);
      return draft.changes();
    }

    /**
     * FORMERR for a record dnsjava read from the wire but cannot write back (a WKS with no
     * service bitmap, found by UpdateFuzzTest): every later step encodes records.
     */
    private static void encodable(List<Record> records) {
      for (Record r : records) {
        try {
          r.rdataToWireCanonical();
        } catch (RuntimeException e) {
          throw UpdateErrors.formErr("malformed " + Type.string(r.getType()) + " record at " + r.getName() + ": " + e);
        }
      }
    }

    /** The update RRs the last run ignored, with the reason, for the log. */
    public List<String> ignored() {
      return ignored;
    }

    /** Number of update RRs. */
    public int size() {
      return updates.size();
    }
  }
}
