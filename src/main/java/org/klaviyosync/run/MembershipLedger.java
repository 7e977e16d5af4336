package org.klaviyosync.run;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.klaviyosync.state.ListMembershipStore.Membership;
import org.klaviyosync.state.RowOutcome;

/**
 * What one run of a {@code listMode=mirror} sync knows about the list memberships it manages: those
 * recorded before the run, the new ones Klaviyo acknowledged during it, and which of the recorded
 * ones the model still names.
 *
 * <p>Only a row Klaviyo acknowledged (sent) says which lists it names now: its recorded memberships
 * in other lists are no longer named. Any other row read (unchanged, invalid, rejected, deferred,
 * or still in flight) keeps every membership it has, since its lists were not applied this run:
 * an unchanged row names the lists it was acknowledged with (the fingerprint covers them). A
 * recorded key no row of the run read left the model.
 */
public final class MembershipLedger {

    private final Map<String, Set<String>> recorded;
    private final Map<String, Set<String>> listsInFlight = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> namedBySentRows = new ConcurrentHashMap<>();
    private final Set<String> kept = ConcurrentHashMap.newKeySet();
    private final List<Membership> unrecorded = new ArrayList<>();

    /** {@code recorded}: the sync's managed memberships when the run opened (identifier key to list ids). */
    public MembershipLedger(Map<String, Set<String>> recorded) {
        this.recorded = recorded;
    }

    /** The lists a row is on its way to Klaviyo with. */
    public void sending(String key, Collection<String> listIds) {
        listsInFlight.put(key, Set.copyOf(listIds));
    }

    /** A row read by the run ended with {@code outcome}. */
    void ended(String key, RowOutcome outcome) {
        if (key == null) {
            return;
        }
        // a row of the same key ending otherwise (a duplicate) must not take the sent row's lists
        Set<String> lists = outcome == RowOutcome.SENT ? listsInFlight.remove(key) : null;
        if (lists == null) {
            if (recorded.containsKey(key)) {
                kept.add(key);
            }
            return;
        }
        Set<String> before = recorded.get(key);
        if (before != null) {
            namedBySentRows.put(key, lists);
        }
        synchronized (unrecorded) {
            for (String list : lists) {
                if (before == null || !before.contains(list)) {
                    unrecorded.add(new Membership(key, list));
                }
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
        Map<String, Integer> out = new TreeMap<>();
        recorded.values().forEach(lists -> lists.forEach(l -> out.merge(l, 1, Integer::sum)));
        return out;
    }

    /**
     * The recorded memberships the model no longer names, per list id (in key order): for a run
     * that read the whole model. Rows still in flight keep theirs.
     */
    public Map<String, List<String>> noLongerNamed() {
        Map<String, List<String>> out = new TreeMap<>();
        recorded.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            String key = e.getKey();
            if (kept.contains(key) || listsInFlight.containsKey(key)) {
                return;
            }
            Set<String> named = namedBySentRows.get(key);
            for (String list : e.getValue()) {
                if (named == null || !named.contains(list)) {
                    out.computeIfAbsent(list, l -> new ArrayList<>()).add(key);
                }
            }
        });
        return out;
    }

    /** How many memberships were recorded when the run opened. */
    public int recordedCount() {
        return recorded.values().stream().mapToInt(Set::size).sum();
    }
}
