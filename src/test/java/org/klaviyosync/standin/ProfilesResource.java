package org.klaviyosync.standin;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code POST /api/profile-import} and {@code GET /api/profiles}. */
final class ProfilesResource {

    static final Map<String, Set<String>> FILTERS = Map.of(
            "id", Set.of("equals", "any"),
            "email", Set.of("equals", "any"),
            "phone_number", Set.of("equals", "any"),
            "external_id", Set.of("equals", "any"),
            "created", Set.of("greater-than", "less-than"),
            "updated", Set.of("greater-than", "less-than"));

    private final StandInProfiles profiles;

    ProfilesResource(StandInProfiles profiles) {
        this.profiles = profiles;
    }

    ApiResponse profileImport(ApiRequest req) {
        Object resource = StandInJson.toJava(Bodies.data(req));
        List<ObjectNode> errors = ProfileValidation.validate(resource, "/data", "/data/attributes");
        if (!errors.isEmpty()) {
            throw Bodies.many(errors);
        }
        @SuppressWarnings("unchecked") // a valid resource is an object
        Map<String, Object> data = (Map<String, Object>) resource;
        StandInProfiles.Upsert result = profiles.upsert(data, true, true);
        ObjectNode root = StandInJson.object();
        root.set("data", StandInProfiles.resource(result.profile(), req.baseUrl()));
        root.putObject("links").put("self", req.baseUrl() + "/api/profile-import");
        return new ApiResponse(result.created() ? 201 : 200, root);
    }

    ApiResponse getProfiles(ApiRequest req) {
        List<Filters.Condition> filter = Filters.parse(req.param("filter"), FILTERS);
        List<StandInProfiles.Profile> found = new ArrayList<>();
        for (StandInProfiles.Profile p : candidates(filter)) {
            if (Filters.matches(filter, name -> name.equals("email") && p.email != null
                    ? matchEmail(filter, p.email) : p.field(name))) {
                found.add(p);
            }
        }
        sort(found, req.param("sort"));
        return ApiResponse.ok(Paging.page(req, found, 20, 100, p -> StandInProfiles.resource(p, req.baseUrl())));
    }

    /**
     * The profiles a filter can match: through the identifier indexes when it holds an {@code equals}
     * or {@code any} on an identifier (as Klaviyo answers those without a scan; in id order), else all.
     */
    private Collection<StandInProfiles.Profile> candidates(List<Filters.Condition> filter) {
        for (Filters.Condition c : filter) {
            if (!c.op().equals("equals") && !c.op().equals("any")) {
                continue;
            }
            java.util.function.Function<String, StandInProfiles.Profile> index = switch (c.field()) {
                case "external_id" -> profiles::byExternalId;
                case "email" -> profiles::byEmail;
                case "phone_number" -> profiles::byPhone;
                default -> null;
            };
            if (index != null) {
                java.util.TreeMap<String, StandInProfiles.Profile> byId = new java.util.TreeMap<>();
                for (Object v : c.values()) {
                    StandInProfiles.Profile p = v instanceof String value ? index.apply(value) : null;
                    if (p != null) {
                        byId.put(p.id, p);
                    }
                }
                return byId.values();
            }
        }
        return profiles.all();
    }

    /** Emails compare case-insensitively: answer the filter's own spelling when it is the same address. */
    private static Object matchEmail(List<Filters.Condition> filter, String email) {
        for (Filters.Condition c : filter) {
            if (c.field().equals("email")) {
                for (Object v : c.values()) {
                    if (v instanceof String s && s.equalsIgnoreCase(email)) {
                        return s;
                    }
                }
            }
        }
        return email;
    }

    private static void sort(List<StandInProfiles.Profile> found, String sort) {
        if (sort == null) {
            return;
        }
        boolean desc = sort.startsWith("-");
        String field = desc ? sort.substring(1) : sort;
        Comparator<StandInProfiles.Profile> c = switch (field) {
            case "created" -> Comparator.comparing(p -> p.created);
            case "updated" -> Comparator.comparing(p -> p.updated);
            case "id" -> Comparator.comparing(p -> p.id);
            case "email" -> Comparator.comparing(p -> p.email == null ? "" : p.email);
            default -> throw JsonApiErrors.invalidParameter("sort", "'" + sort + "' is not a valid sort for profiles.");
        };
        found.sort(desc ? c.reversed() : c);
    }
}
