package org.klaviyosync.app;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.klaviyosync.config.SyncDefinition;

/**
 * The routes of a sync: its pipeline (routes/klaviyo-profile-sync.yaml, route id the sync's id),
 * entered through one direct endpoint by every run, and its schedule (routes/klaviyo-sync-schedule.yaml),
 * a route added only for a sync with a {@code schedule}.
 */
final class SyncRoutes {

    static final String SCHEDULE_TEMPLATE = "klaviyo-sync-schedule";

    private SyncRoutes() {
    }

    /** The endpoint every run of the sync is sent to: its schedule, `run`, `replay` and JMX. */
    static String entry(String syncId) {
        return "direct:klaviyo-sync-" + syncId;
    }

    /** The id of the sync's schedule route. */
    static String scheduleRouteId(String syncId) {
        return syncId + "-schedule";
    }

    /** Start-up problems: a sync whose id is the id of another sync's schedule route. */
    static List<String> clashes(Map<String, SyncDefinition> syncsById) {
        List<String> problems = new ArrayList<>();
        for (SyncDefinition sync : syncsById.values()) {
            SyncDefinition other = syncsById.get(scheduleRouteId(sync.syncId()));
            if (sync.schedule().isPresent() && other != null) {
                problems.add(other.sourceFile() + ": syncId '" + other.syncId() + "' is the id of the schedule route of"
                        + " sync '" + sync.syncId() + "' (" + sync.sourceFile() + "); give the sync another syncId");
            }
        }
        return problems;
    }

    /**
     * Adds a schedule route for every sync with a schedule, before Camel starts; a sync without
     * one gets none and runs only on demand.
     */
    static void addSchedules(CamelContext camel, Collection<SyncDefinition> syncs) throws Exception {
        for (SyncDefinition sync : syncs) {
            if (sync.schedule().isEmpty()) {
                continue;
            }
            camel.addRouteFromTemplate(scheduleRouteId(sync.syncId()), SCHEDULE_TEMPLATE,
                    Map.of("syncId", sync.syncId(), "schedule", sync.schedule().get()));
        }
    }
}
