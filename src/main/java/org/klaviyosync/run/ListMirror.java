package org.klaviyosync.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.klaviyosync.config.Identifier;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.klaviyo.ListMembershipRemovals;
import org.klaviyosync.klaviyo.ProfileIdLookup;
import org.klaviyosync.state.ListMembershipStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a {@code listMode=mirror} run that read the whole model: removes the memberships the
 * sync manages and the model no longer names, behind the removal guard. Profile ids are looked up
 * {@value ProfileIdLookup#PER_CALL} at a time and removed up to
 * {@value ListMembershipRemovals#MAX_PER_CALL} per call, read from the state database a call's worth at
 * a time (the managed memberships are never all held); each removal Klaviyo acknowledged is
 * forgotten at once, so a run that stops midway leaves exactly the rest owed to the next run. A
 * profile Klaviyo no longer has leaves no membership to remove: it is forgotten too.
 */
public final class ListMirror {

    private static final Logger LOG = LoggerFactory.getLogger(ListMirror.class);

    /** Where a dry run writes the removals it would make. */
    @FunctionalInterface
    public interface DryRunRemovals {
        void write(SyncRun run, String listId, List<String> identifierKeys) throws IOException;
    }

    private final ListMembershipStore store;
    private final ProfileIdLookup lookup;
    private final ListMembershipRemovals removals;
    private final DryRunRemovals dryRun;

    /** {@code lookup} and {@code removals} are null in a dry run (no key). */
    public ListMirror(ListMembershipStore store, ProfileIdLookup lookup, ListMembershipRemovals removals,
            DryRunRemovals dryRun) {
        this.store = store;
        this.lookup = lookup;
        this.removals = removals;
        this.dryRun = dryRun;
    }

    /** Removes what the model no longer names, unless the run failed, was stopped, or trips the guard. */
    public void removeWhatLeft(SyncRun run) throws Exception {
        MembershipLedger ledger = run.memberships();
        if (ledger == null || run.failed() || run.stopping()) {
            return; // a model that failed, or a run cut short, does not say who left
        }
        if (run.changes().comparesInWarehouse()) {
            // rows told unchanged in the warehouse never pass here: who left cannot be told (RunRegistry never does this)
            throw new IllegalStateException("sync '" + run.syncId() + "': a listMode=mirror run was compared in the"
                    + " warehouse; nothing was removed");
        }
        IdentifiersRead read = run.identifiersRead();
        ListMembershipStore.NoLongerNamed owed = (key, listId, reference) -> ledger.noLongerNamed(read, key, listId,
                reference);
        Map<String, Integer> owedPerList = store.noLongerNamedPerList(run.syncId(), owed);
        if (owedPerList.isEmpty()) {
            return;
        }
        SyncDefinition sync = run.sync();
        String tripped = guard(sync, owedPerList, ledger.managedPerList(), run.options().allowRemovals());
        if (tripped != null) {
            LOG.error("Sync '{}' run {}: {}", sync.syncId(), run.runId(), tripped);
            run.fail(tripped);
            return;
        }
        for (Map.Entry<String, Integer> e : owedPerList.entrySet()) {
            if (!removeFromList(run, e.getKey(), e.getValue(), owed)) {
                return;
            }
        }
    }

    /** The guard's message when a list would lose more than maxRemovalPercent of its managed memberships. */
    static String guard(SyncDefinition sync, Map<String, Integer> owed, Map<String, Integer> managed,
            boolean allowed) {
        if (allowed) {
            return null;
        }
        List<String> over = new ArrayList<>();
        for (Map.Entry<String, Integer> e : owed.entrySet()) {
            int base = managed.getOrDefault(e.getKey(), 0);
            int leaving = e.getValue();
            if ((long) leaving * 100 > (long) sync.maxRemovalPercent() * base) {
                over.add("list " + e.getKey() + ": " + leaving + " of the " + base + " memberships the sync manages ("
                        + Math.round(leaving * 100.0 / Math.max(1, base)) + "%)");
            }
        }
        if (over.isEmpty()) {
            return null;
        }
        return "sync '" + sync.syncId() + "': removal guard: this run would remove more than maxRemovalPercent="
                + sync.maxRemovalPercent() + "% of a list's managed memberships (" + String.join("; ", over)
                + "); nothing was removed. If the model is right, `run --allow-removals " + sync.syncId()
                + "` goes ahead once, or raise maxRemovalPercent";
    }

    /**
     * Removes the memberships of one list no longer named, a call's worth at a time, read from the
     * store page by page (a dry run writes each request it would send instead).
     */
    private boolean removeFromList(SyncRun run, String listId, int total, ListMembershipStore.NoLongerNamed owed)
            throws Exception {
        Identifier identifier = run.sync().identifier();
        int gone = 0;
        int settled = 0;
        String after = "";
        while (true) {
            if (run.stopping()) {
                return false; // the rest stays owed
            }
            ListMembershipStore.Page page = store.noLongerNamed(run.syncId(), listId, after,
                    owed, ListMembershipRemovals.MAX_PER_CALL);
            List<String> chunk = page.identifierKeys();
            after = page.after();
            if (!chunk.isEmpty() && run.dryRun()) {
                dryRun.write(run, listId, chunk);
            } else if (!chunk.isEmpty()) {
                // a row key is the identifier as Klaviyo spells it (an email lower-cased, a phone in E.164)
                Map<String, String> ids;
                try {
                    ids = lookup.profileIds(identifier.attribute(), chunk);
                } catch (RuntimeException e) {
                    return failed(run, listId, total - settled, "looking up their profiles failed: " + e.getMessage());
                }
                List<String> missing = new ArrayList<>();
                List<String> found = new ArrayList<>();
                LinkedHashSet<String> profileIds = new LinkedHashSet<>();
                for (String key : chunk) {
                    String id = ids.get(key);
                    if (id == null) {
                        missing.add(key);
                    } else {
                        found.add(key);
                        profileIds.add(id);
                    }
                }
                store.forget(run.syncId(), listId, missing);
                gone += missing.size();
                settled += missing.size();
                if (!profileIds.isEmpty()) {
                    ListMembershipRemovals.Answer answer;
                    try {
                        answer = removals.remove(listId, new ArrayList<>(profileIds));
                    } catch (RuntimeException e) {
                        return failed(run, listId, total - settled, e.getMessage());
                    }
                    if (!answer.acknowledged()) {
                        return failed(run, listId, total - settled, answer.error());
                    }
                    store.forget(run.syncId(), listId, found);
                    run.membershipsRemoved(found.size());
                    settled += found.size();
                }
            }
            if (page.last()) {
                break;
            }
        }
        if (run.dryRun()) {
            return true;
        }
        if (gone > 0) {
            LOG.warn("Sync '{}' run {}: Klaviyo no longer has {} profile(s) whose membership in list {} the sync"
                    + " managed; those memberships are forgotten", run.syncId(), run.runId(), gone, listId);
        }
        LOG.info("Sync '{}' run {}: {} membership(s) removed from list {}", run.syncId(), run.runId(),
                settled - gone, listId);
        return true;
    }

    private static boolean failed(SyncRun run, String listId, int owed, String why) {
        String reason = "sync '" + run.syncId() + "': removing memberships from list " + listId + " failed (" + why
                + "); the " + owed + " still owed are removed by the next run";
        LOG.error("Sync '{}' run {}: {}", run.syncId(), run.runId(), reason);
        run.fail(reason);
        return false;
    }
}
