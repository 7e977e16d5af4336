package org.klaviyosync.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The profile store. Identifiers are unique across profiles (emails compared case-insensitively).
 * Not thread-safe on its own: the stand-in calls it under its state lock.
 */
final class StandInProfiles {

    static final List<String> STANDARD_ATTRIBUTES = List.of("first_name", "last_name", "organization", "title",
            "locale", "image");

    /** Mutable stored profile. */
    static final class Profile {
        final String id;
        String email;
        String phone;
        String externalId;
        String kx;
        final Map<String, Object> attributes = new LinkedHashMap<>();
        final Map<String, Object> properties = new LinkedHashMap<>();
        final Instant created;
        Instant updated;

        Profile(String id, Instant now) {
            this.id = id;
            this.created = now;
            this.updated = now;
        }

        Object field(String name) {
            return switch (name) {
                case "id" -> id;
                case "email" -> email;
                case "phone_number" -> phone;
                case "external_id" -> externalId;
                case "created" -> created;
                case "updated" -> updated;
                default -> null;
            };
        }
    }

    /** Result of an upsert. */
    record Upsert(Profile profile, boolean created) {
    }

    private final Ids ids;
    private final Map<String, Profile> byId = new LinkedHashMap<>();
    private final Map<String, Profile> byEmail = new HashMap<>();
    private final Map<String, Profile> byPhone = new HashMap<>();
    private final Map<String, Profile> byExternalId = new HashMap<>();

    StandInProfiles(Ids ids) {
        this.ids = ids;
    }

    void clear() {
        byId.clear();
        byEmail.clear();
        byPhone.clear();
        byExternalId.clear();
    }

    Collection<Profile> all() {
        return byId.values();
    }

    Profile byId(String id) {
        return byId.get(id);
    }

    Profile byEmail(String email) {
        return email == null ? null : byEmail.get(email.toLowerCase(Locale.ROOT));
    }

    Profile byPhone(String phone) {
        return byPhone.get(phone);
    }

    Profile byExternalId(String externalId) {
        return byExternalId.get(externalId);
    }

    /**
     * Creates or updates the profile a validated resource identifies.
     *
     * @param nullsClear true for profile-import (null clears a field), false for bulk import (nulls ignored)
     * @param applyPatch whether {@code meta.patch_properties} is applied
     * @throws StandInException 404 {@code not_found} for an unknown {@code id}, 409 {@code duplicate_profile}
     *                          when the identifiers belong to different profiles
     */
    Upsert upsert(JsonNode resource, boolean nullsClear, boolean applyPatch) {
        JsonNode attrs = resource.get("attributes");
        Set<Profile> matches = new LinkedHashSet<>();
        String id = text(resource.get("id"));
        if (id != null) {
            Profile p = byId.get(id);
            if (p == null) {
                throw JsonApiErrors.notFoundAt("/data/id", "A profile with id " + id + " does not exist.");
            }
            matches.add(p);
        }
        addMatch(matches, byEmail(text(attrs.get("email"))));
        addMatch(matches, byPhone.get(text(attrs.get("phone_number"))));
        addMatch(matches, byExternalId.get(text(attrs.get("external_id"))));
        if (matches.size() > 1) {
            Iterator<Profile> it = matches.iterator();
            it.next();
            ObjectNode error = JsonApiErrors.error(409, "duplicate_profile", "Conflict.",
                    "A profile already exists with one of these identifiers.", "pointer", "/data/attributes");
            ((ObjectNode) error.get("meta")).put("duplicate_profile_id", it.next().id);
            throw new StandInException(409, List.of(error));
        }
        Instant now = Instant.now();
        boolean created = matches.isEmpty();
        Profile p = created ? new Profile(ids.ulid(), now) : matches.iterator().next();
        if (created) {
            byId.put(p.id, p);
        }
        apply(p, attrs, nullsClear && !created);
        if (applyPatch) {
            applyPatchProperties(p, resource.path("meta").path("patch_properties"));
        }
        p.updated = now;
        return new Upsert(p, created);
    }

    private static void addMatch(Set<Profile> matches, Profile p) {
        if (p != null) {
            matches.add(p);
        }
    }

    private void apply(Profile p, JsonNode attrs, boolean nullsClear) {
        for (Iterator<Map.Entry<String, JsonNode>> it = attrs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isNull() && !nullsClear) {
                continue;
            }
            String text = v.isNull() ? null : v.asText();
            switch (e.getKey()) {
                case "email" -> setEmail(p, text);
                case "phone_number" -> setPhone(p, text);
                case "external_id" -> setExternalId(p, text);
                case "_kx" -> p.kx = text;
                case "location" -> mergeObject(p.attributes, "location", v, nullsClear);
                case "properties" -> {
                    if (v.isNull()) {
                        p.properties.clear();
                    } else {
                        mergeInto(p.properties, v, nullsClear);
                    }
                }
                default -> {
                    if (text == null) {
                        p.attributes.remove(e.getKey());
                    } else {
                        p.attributes.put(e.getKey(), text);
                    }
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void mergeObject(Map<String, Object> target, String key, JsonNode v, boolean nullsClear) {
        if (v.isNull()) {
            target.remove(key);
            return;
        }
        Map<String, Object> inner = target.get(key) instanceof Map<?, ?> m
                ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
        mergeInto(inner, v, nullsClear);
        if (inner.isEmpty()) {
            target.remove(key);
        } else {
            target.put(key, inner);
        }
    }

    private static void mergeInto(Map<String, Object> target, JsonNode object, boolean nullsClear) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull()) {
                if (nullsClear) {
                    target.remove(e.getKey());
                }
            } else {
                target.put(e.getKey(), StandInJson.toJava(e.getValue()));
            }
        }
    }

    private static void applyPatchProperties(Profile p, JsonNode patch) {
        if (!patch.isObject()) {
            return;
        }
        JsonNode unset = patch.get("unset");
        if (unset != null) {
            if (unset.isTextual()) {
                p.properties.remove(unset.asText());
            } else {
                unset.forEach(k -> p.properties.remove(k.asText()));
            }
        }
        patch.path("append").fields().forEachRemaining(e -> {
            List<Object> list = asList(p.properties.get(e.getKey()));
            if (e.getValue().isArray()) {
                e.getValue().forEach(v -> list.add(StandInJson.toJava(v)));
            } else {
                list.add(StandInJson.toJava(e.getValue()));
            }
            p.properties.put(e.getKey(), list);
        });
        patch.path("unappend").fields().forEachRemaining(e -> {
            if (!p.properties.containsKey(e.getKey())) {
                return;
            }
            List<Object> list = asList(p.properties.get(e.getKey()));
            if (e.getValue().isArray()) {
                e.getValue().forEach(v -> list.remove(StandInJson.toJava(v)));
            } else {
                list.remove(StandInJson.toJava(e.getValue()));
            }
            p.properties.put(e.getKey(), list);
        });
    }

    private static List<Object> asList(Object existing) {
        if (existing instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        List<Object> list = new ArrayList<>();
        if (existing != null) {
            list.add(existing);
        }
        return list;
    }

    private void setEmail(Profile p, String email) {
        if (p.email != null) {
            byEmail.remove(p.email.toLowerCase(Locale.ROOT));
        }
        p.email = email;
        if (email != null) {
            byEmail.put(email.toLowerCase(Locale.ROOT), p);
        }
    }

    private void setPhone(Profile p, String phone) {
        if (p.phone != null) {
            byPhone.remove(p.phone);
        }
        p.phone = phone;
        if (phone != null) {
            byPhone.put(phone, p);
        }
    }

    private void setExternalId(Profile p, String externalId) {
        if (p.externalId != null) {
            byExternalId.remove(p.externalId);
        }
        p.externalId = externalId;
        if (externalId != null) {
            byExternalId.put(externalId, p);
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    /** The JSON:API resource, shaped like Klaviyo's profile resource. */
    static ObjectNode resource(Profile p, String baseUrl) {
        ObjectNode r = StandInJson.object();
        r.put("type", "profile");
        r.put("id", p.id);
        ObjectNode a = r.putObject("attributes");
        a.put("email", p.email);
        a.put("phone_number", p.phone);
        a.put("external_id", p.externalId);
        for (String name : STANDARD_ATTRIBUTES) {
            a.put(name, (String) p.attributes.get(name));
        }
        a.put("created", StandInJson.time(p.created));
        a.put("updated", StandInJson.time(p.updated));
        a.putNull("last_event_date");
        ObjectNode location = a.putObject("location");
        Object stored = p.attributes.get("location");
        Map<?, ?> loc = stored instanceof Map<?, ?> m ? m : Map.of();
        for (String key : List.of("address1", "address2", "city", "country", "region", "zip", "timezone", "ip",
                "latitude", "longitude")) {
            location.set(key, StandInJson.toNode(loc.get(key)));
        }
        a.set("properties", StandInJson.toNode(p.properties));
        String self = baseUrl + "/api/profiles/" + p.id;
        ObjectNode rel = r.putObject("relationships");
        for (String name : List.of("lists", "segments", "push-tokens")) {
            ObjectNode links = rel.putObject(name).putObject("links");
            links.put("self", self + "/relationships/" + name);
            links.put("related", self + "/" + name);
        }
        r.putObject("links").put("self", self);
        return r;
    }
}
