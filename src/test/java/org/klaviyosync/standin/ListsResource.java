package org.klaviyosync.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /api/lists}, {@code /api/lists/{id}} and list membership. */
final class ListsResource {

    static final Map<String, Set<String>> LIST_FILTERS = Map.of(
            "name", Set.of("equals", "any"),
            "id", Set.of("equals", "any"),
            "created", Set.of("greater-than"),
            "updated", Set.of("greater-than"));
    static final Map<String, Set<String>> MEMBER_FILTERS = Map.of(
            "email", Set.of("equals", "any"),
            "phone_number", Set.of("equals", "any"));
    static final int MAX_PROFILES_PER_ADD = 1000;

    private final StandInLists lists;
    private final StandInProfiles profiles;

    ListsResource(StandInLists lists, StandInProfiles profiles) {
        this.lists = lists;
        this.profiles = profiles;
    }

    ApiResponse getLists(ApiRequest req) {
        List<Filters.Condition> filter = Filters.parse(req.param("filter"), LIST_FILTERS);
        List<StandInLists.ListRecord> found = new ArrayList<>();
        for (StandInLists.ListRecord l : lists.all()) {
            if (Filters.matches(filter, l::field)) {
                found.add(l);
            }
        }
        String sort = req.param("sort");
        if (sort != null) {
            boolean desc = sort.startsWith("-");
            String field = desc ? sort.substring(1) : sort;
            Comparator<StandInLists.ListRecord> c = switch (field) {
                case "created" -> Comparator.comparing(l -> l.created);
                case "updated" -> Comparator.comparing(l -> l.updated);
                case "id" -> Comparator.comparing(l -> l.id);
                case "name" -> Comparator.comparing(l -> l.name);
                default -> throw JsonApiErrors.invalidParameter("sort", "'" + sort + "' is not a valid sort for lists.");
            };
            found.sort(desc ? c.reversed() : c);
        }
        return ApiResponse.ok(Paging.page(req, found, 10, 10, l -> StandInLists.resource(l, req.baseUrl(), false)));
    }

    ApiResponse getList(ApiRequest req) {
        StandInLists.ListRecord l = existing(req.pathParam(0));
        String extra = req.param("additional-fields[list]");
        if (extra != null && !extra.equals("profile_count")) {
            throw JsonApiErrors.invalidParameter("additional-fields[list]",
                    "'" + extra + "' is not a valid additional field for lists.");
        }
        ObjectNode root = StandInJson.object();
        root.set("data", StandInLists.resource(l, req.baseUrl(), extra != null));
        root.putObject("links").put("self", req.baseUrl() + "/api/lists/" + l.id);
        return ApiResponse.ok(root);
    }

    ApiResponse createList(ApiRequest req) {
        JsonNode data = Bodies.data(req);
        if (!data.isObject()) {
            throw JsonApiErrors.invalid("/data", "'data' must be a list resource object.");
        }
        Bodies.requireType(data, "/data", "list");
        Bodies.unknownMembers(data, "/data", Set.of("type", "attributes"));
        ObjectNode attributes = Bodies.object(data, "attributes", "/data/attributes");
        Bodies.unknownMembers(attributes, "/data/attributes", Set.of("name", "opt_in_process"));
        JsonNode name = attributes.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            throw JsonApiErrors.invalid("/data/attributes/name", "'name' is required and must be a non-blank string.");
        }
        JsonNode optIn = attributes.get("opt_in_process");
        String optInValue = null;
        if (optIn != null && !optIn.isNull()) {
            if (!optIn.isTextual() || !Set.of("double_opt_in", "single_opt_in").contains(optIn.asText())) {
                throw JsonApiErrors.invalid("/data/attributes/opt_in_process",
                        "'opt_in_process' must be 'double_opt_in' or 'single_opt_in'.");
            }
            optInValue = optIn.asText();
        }
        StandInLists.ListRecord l = lists.createThroughApi(name.asText(), optInValue == null ? "single_opt_in" : optInValue);
        ObjectNode root = StandInJson.object();
        root.set("data", StandInLists.resource(l, req.baseUrl(), false));
        root.putObject("links").put("self", req.baseUrl() + "/api/lists");
        return new ApiResponse(201, root);
    }

    /** All-or-nothing: any unknown profile id answers 404 (one error per unknown id) and adds nobody. */
    ApiResponse addProfiles(ApiRequest req) {
        StandInLists.ListRecord l = existing(req.pathParam(0));
        profileIds(req).forEach(id -> lists.addMember(l.id, id));
        return ApiResponse.noContent();
    }

    /**
     * The same body and checks as adding; removes only the membership (the profile, its consent and
     * its other lists stay). A profile that is not in the list is left out of it (204).
     */
    ApiResponse removeProfiles(ApiRequest req) {
        StandInLists.ListRecord l = existing(req.pathParam(0));
        profileIds(req).forEach(id -> lists.removeMember(l.id, id));
        return ApiResponse.noContent();
    }

    private Set<String> profileIds(ApiRequest req) {
        JsonNode data = Bodies.data(req);
        if (!data.isArray()) {
            throw JsonApiErrors.invalid("/data", "'data' must be an array of profile resource identifiers.");
        }
        if (data.isEmpty() || data.size() > MAX_PROFILES_PER_ADD) {
            throw JsonApiErrors.invalid("/data", "'data' must hold between 1 and " + MAX_PROFILES_PER_ADD
                    + " profiles, got " + data.size() + ".");
        }
        List<ObjectNode> missing = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < data.size(); i++) {
            JsonNode item = data.get(i);
            String p = "/data/" + i;
            if (!item.isObject()) {
                throw JsonApiErrors.invalid(p, "Each item must be a profile resource identifier.");
            }
            Bodies.unknownMembers(item, p, Set.of("type", "id"));
            Bodies.requireType(item, p, "profile");
            JsonNode id = item.get("id");
            if (id == null || !id.isTextual() || id.asText().isEmpty()) {
                throw JsonApiErrors.invalid(p + "/id", "'id' is a required string.");
            }
            if (profiles.byId(id.asText()) == null) {
                missing.add(JsonApiErrors.error(404, "not_found", "Not found.",
                        "A profile with id " + id.asText() + " does not exist.", "pointer", p + "/id"));
            }
            ids.add(id.asText());
        }
        if (!missing.isEmpty()) {
            throw new StandInException(404, missing);
        }
        return ids;
    }

    ApiResponse memberIds(ApiRequest req) {
        List<StandInProfiles.Profile> members = members(req);
        return ApiResponse.ok(Paging.page(req, members, 20, 100, p -> {
            ObjectNode r = StandInJson.object();
            r.put("type", "profile");
            r.put("id", p.id);
            return r;
        }));
    }

    ApiResponse memberProfiles(ApiRequest req) {
        List<StandInProfiles.Profile> members = members(req);
        return ApiResponse.ok(Paging.page(req, members, 20, 100, p -> StandInProfiles.resource(p, req.baseUrl())));
    }

    private List<StandInProfiles.Profile> members(ApiRequest req) {
        StandInLists.ListRecord l = existing(req.pathParam(0));
        List<Filters.Condition> filter = Filters.parse(req.param("filter"), MEMBER_FILTERS);
        List<StandInProfiles.Profile> out = new ArrayList<>();
        for (String id : l.members) {
            StandInProfiles.Profile p = profiles.byId(id);
            if (p != null && Filters.matches(filter, p::field)) {
                out.add(p);
            }
        }
        return out;
    }

    private StandInLists.ListRecord existing(String id) {
        StandInLists.ListRecord l = lists.get(id);
        if (l == null) {
            throw JsonApiErrors.notFound("A list with id " + id + " does not exist.");
        }
        return l;
    }
}
