package org.klaviyosync.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.klaviyosync.fingerprint.Avalanche;
import org.klaviyosync.state.AcknowledgedFingerprints;
import org.klaviyosync.state.ListMembershipStore.Membership;
import org.klaviyosync.state.RowOutcome;

/**
 * What one run of a {@code listMode=mirror} sync learns about the list memberships it manages,
 * which stay in the state database ({@code klaviyo_sync.list_memberships}) and are checked against
 * this at the end of the run, one streamed pass, instead of being held here.
 *
 * <p>Only a row Klaviyo acknowledged (sent), or in a dry run one that would be sent, says which
 * lists it names now: its recorded memberships in other lists are no longer named. Any other row
 * read (unchanged, invalid, rejected, deferred, or still in flight) keeps every membership it has,
 * since its lists were not applied this run: an unchanged row names the lists it was acknowledged
 * with (the fingerprint covers them). A recorded identifier the run did not read ({@link
 * IdentifiersRead}) left the model.
 *
 * <p>Held compactly: the rows that named their lists as two 64-bit hashes of their identifier (8
 * bytes each) and each (identifier, list) they named as a 64-bit hash. A membership is taken for
 * named when its hash matches by chance (it stays: a chance of about n / 2^64); a row is taken for
 * one that named its lists only when both of its hashes match, so a membership of a row that kept
 * its lists is not removed for a row that did not.
 */
public final class MembershipLedger {

    private final Map<String, Integer> managedPerList;
    /** Row key to its lists: list id to the reference (name or id) the row gave. */
    private final Map<String, Map<String, String>> listsInFlight = new ConcurrentHashMap<>();
    private final SortedLongs rowsNamingLists = new SortedLongs();
    private final SortedLongs rowsNamingListsAgain = new SortedLongs();
    private final SortedLongs namedMemberships = new SortedLongs();
    private final List<Membership> unrecorded = new ArrayList<>();

    /** {@code managedPerList}: the sync's managed memberships per list id when the run opened. */
    public MembershipLedger(Map<String, Integer> managedPerList) {
        this.managedPerList = Map.copyOf(managedPerList);
    }

    /** The lists a row is on its way to Klaviyo with: list id to the reference the row named it by. */
    public void sending(String key, Map<String, String> referenceOfList) {
        listsInFlight.put(key, Map.copyOf(referenceOfList));
    }

    /** A row read by the run ended with {@code outcome}. */
    void ended(String key, RowOutcome outcome) {
        if (key == null || (outcome != RowOutcome.SENT && outcome != RowOutcome.WOULD_SEND)) {
            return; // a row of the same key ending otherwise (a duplicate) must not take the sent row's lists
        }
        Map<String, String> lists = listsInFlight.remove(key);
        if (lists == null) {
            return;
        }
        long h = AcknowledgedFingerprints.identifierHash(key);
        rowsNamingLists.add(h);
        rowsNamingListsAgain.add(secondHash(key));
        for (Map.Entry<String, String> list : lists.entrySet()) {
            namedMemberships.add(membership(h, list.getKey()));
            if (list.getValue() != null) {
                namedMemberships.add(membership(h, list.getValue()));
            }
        }
        if (outcome == RowOutcome.SENT) {
            synchronized (unrecorded) {
                lists.forEach((listId, reference) -> unrecorded.add(new Membership(key, listId, reference)));
            }
        }
    }

    /** Memberships Klaviyo acknowledged since the last call, to record. */
    public List<Membership> drainAcknowledged() {
        synchronized (unrecorded) {
            List<Membership> out = List.copyOf(unrecorded);
            unrecorded.clear();
            return out;
        }
    }

    /** Managed memberships per list id when the run opened (the removal guard's base). */
    public Map<String, Integer> managedPerList() {
        return managedPerList;
    }

    /**
     * Whether the run, which read the whole model and {@code read} these identifiers, no longer
     * names this managed membership (its list {@code listId}, recorded as named by
     * {@code reference}, null when not known).
     */
    public boolean noLongerNamed(IdentifiersRead read, String key, String listId, String reference) {
        long h = AcknowledgedFingerprints.identifierHash(key);
        if (!read.contains(h)) {
            return true; // the row left the model
        }
        if (!rowsNamingLists.contains(h) || !rowsNamingListsAgain.contains(secondHash(key))) {
            return false; // read, but its lists were not applied this run
        }
        return !namedMemberships.contains(membership(h, listId))
                && (reference == null || !namedMemberships.contains(membership(h, reference)));
    }

    private static long membership(long identifierHash, String list) {
        return Avalanche.mix(identifierHash ^ (AcknowledgedFingerprints.identifierHash(list) * 0x9e3779b97f4a7c15L));
    }

    /** A hash of the identifier unrelated to {@link AcknowledgedFingerprints#identifierHash}. */
    private static long secondHash(String key) {
        long h = 0x27d4eb2f165667c5L;
        for (int i = key.length() - 1; i >= 0; i--) {
            h = (h + key.charAt(i)) * 0xc2b2ae3d27d4eb4fL;
            h ^= h >>> 29;
        }
        return Avalanche.mix(h ^ key.length());
    }
}
