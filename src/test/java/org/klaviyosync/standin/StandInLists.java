package org.klaviyosync.standin;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The list store with membership. Names are not unique. Called under the stand-in's state lock. */
final class StandInLists {

    /** Mutable stored list. */
    static final class ListRecord {
        final String id;
        String name;
        String optInProcess;
        final Instant created;
        Instant updated;
        final Set<String> members = new LinkedHashSet<>();

        ListRecord(String id, String name, String optInProcess, Instant now) {
            this.id = id;
            this.name = name;
            this.optInProcess = optInProcess;
            this.created = now;
            this.updated = now;
        }

        Object field(String field) {
            return switch (field) {
                case "id" -> id;
                case "name" -> name;
                case "created" -> created;
                case "updated" -> updated;
                default -> null;
            };
        }
    }

    private final Ids ids;
    private final Map<String, ListRecord> byId = new LinkedHashMap<>();
    private int dailyCap = 150;
    private LocalDate capDay;
    private int createdOnCapDay;

    StandInLists(Ids ids) {
        this.ids = ids;
    }

    void clear() {
        byId.clear();
        capDay = null;
        createdOnCapDay = 0;
    }

    void setDailyCap(int cap) {
        this.dailyCap = cap;
    }

    /** Creation through the API: counts against the daily cap, 429 once it is used up (until UTC midnight). */
    ListRecord createThroughApi(String name, String optInProcess) {
        Instant now = Instant.now();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (!today.equals(capDay)) {
            capDay = today;
            createdOnCapDay = 0;
        }
        if (createdOnCapDay >= dailyCap) {
            long untilMidnight = today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().getEpochSecond()
                    - now.getEpochSecond();
            throw JsonApiErrors.throttled((int) Math.max(1, untilMidnight));
        }
        createdOnCapDay++;
        return create(name, optInProcess);
    }

    ListRecord create(String name, String optInProcess) {
        String id;
        do {
            id = ids.listId();
        } while (byId.containsKey(id));
        ListRecord list = new ListRecord(id, name, optInProcess, Instant.now());
        byId.put(id, list);
        return list;
    }

    ListRecord get(String id) {
        return byId.get(id);
    }

    void delete(String id) {
        byId.remove(id);
    }

    Collection<ListRecord> all() {
        return byId.values();
    }

    void addMember(String listId, String profileId) {
        ListRecord list = byId.get(listId);
        if (list != null && list.members.add(profileId)) {
            list.updated = Instant.now();
        }
    }

    void removeMember(String listId, String profileId) {
        ListRecord list = byId.get(listId);
        if (list != null && list.members.remove(profileId)) {
            list.updated = Instant.now();
        }
    }

    Set<String> listsOf(String profileId) {
        Set<String> out = new TreeSet<>();
        for (ListRecord l : byId.values()) {
            if (l.members.contains(profileId)) {
                out.add(l.id);
            }
        }
        return out;
    }

    static ObjectNode resource(ListRecord l, String baseUrl, boolean withProfileCount) {
        ObjectNode r = StandInJson.object();
        r.put("type", "list");
        r.put("id", l.id);
        ObjectNode a = r.putObject("attributes");
        a.put("name", l.name);
        a.put("created", StandInJson.time(l.created));
        a.put("updated", StandInJson.time(l.updated));
        a.put("opt_in_process", l.optInProcess);
        if (withProfileCount) {
            a.put("profile_count", l.members.size());
        }
        String self = baseUrl + "/api/lists/" + l.id;
        ObjectNode rel = r.putObject("relationships");
        for (String name : List.of("profiles", "tags", "flow-triggers")) {
            ObjectNode links = rel.putObject(name).putObject("links");
            links.put("self", self + "/relationships/" + name);
            links.put("related", self + "/" + name);
        }
        r.putObject("links").put("self", self);
        return r;
    }
}
