package org.klaviyosync.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The profile store. Identifiers are unique across profiles (emails compared case-insensitively).
 * Not thread-safe on its own: the stand-in calls it under its state lock.
 */
final class StandInProfiles {

    static final List<String> STANDARD_ATTRIBUTES = List.of("first_name", "last_name", "organization", "title",
            "locale", "image");

    /**
     * Mutable stored profile. {@code attributes} and {@code properties} are immutable {@link CompactMap}s,
     * replaced as a whole when they change.
     */
    static final class Profile {
        final String id;
        String email;
        String phone;
        String externalId;
        String kx;
        /** The other standard attributes that are set (location as a nested map). */
        Map<String, Object> attributes = CompactMap.EMPTY;
        Map<String, Object> properties = CompactMap.EMPTY;
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

    /** Forgets a profile and its identifiers. */
    void delete(String id) {
        Profile p = byId.remove(id);
        if (p != null) {
            byEmail.values().remove(p);
            byPhone.values().remove(p);
            byExternalId.values().remove(p);
        }
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
     * @param resource   the validated profile resource as plain Java values ({@link StandInJson#toJava})
     * @param nullsClear true for profile-import (null clears a field), false for bulk import (nulls ignored)
     * @param applyPatch whether {@code meta.patch_properties} is applied
     * @throws StandInException 404 {@code not_found} for an unknown {@code id}, 409 {@code duplicate_profile}
     *                          when the identifiers belong to different profiles
     */
    Upsert upsert(Map<String, Object> resource, boolean nullsClear, boolean applyPatch) {
        return upsert(resource, nullsClear, applyPatch, Instant.now());
    }

    /** {@link #upsert(Map, boolean, boolean)} at the given time (a bulk job imports all its profiles at once). */
    Upsert upsert(Map<String, Object> resource, boolean nullsClear, boolean applyPatch, Instant now) {
        Map<String, Object> attrs = map(resource.get("attributes"));
        // the profiles the identifiers point at, in the order id, email, phone, external id
        Profile[] matches = new Profile[2];
        String id = (String) resource.get("id");
        if (id != null) {
            Profile p = byId.get(id);
            if (p == null) {
                throw JsonApiErrors.notFoundAt("/data/id", "A profile with id " + id + " does not exist.");
            }
            addMatch(matches, p);
        }
        addMatch(matches, byEmail((String) attrs.get("email")));
        addMatch(matches, byPhone.get((String) attrs.get("phone_number")));
        addMatch(matches, byExternalId.get((String) attrs.get("external_id")));
        if (matches[1] != null) {
            ObjectNode error = JsonApiErrors.error(409, "duplicate_profile", "Conflict.",
                    "A profile already exists with one of these identifiers.", "pointer", "/data/attributes");
            ((ObjectNode) error.get("meta")).put("duplicate_profile_id", matches[1].id);
            throw new StandInException(409, List.of(error));
        }
        boolean created = matches[0] == null;
        Profile p = created ? new Profile(ids.ulid(), now) : matches[0];
        if (created) {
            byId.put(p.id, p);
        }
        apply(p, attrs, nullsClear && !created);
        if (applyPatch && resource.get("meta") instanceof Map<?, ?> meta) {
            applyPatchProperties(p, meta.get("patch_properties"));
        }
        p.updated = now;
        return new Upsert(p, created);
    }

    /** Keeps the first two distinct profiles. */
    private static void addMatch(Profile[] matches, Profile p) {
        if (p == null || p == matches[0] || p == matches[1]) {
            return;
        }
        if (matches[0] == null) {
            matches[0] = p;
        } else if (matches[1] == null) {
            matches[1] = p;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    /** Values are the request's own (validated) objects; nothing else holds them. */
    private void apply(Profile p, Map<String, Object> attrs, boolean nullsClear) {
        CompactMap.Builder attributes = null; // a working copy, made on the first change
        for (Map.Entry<String, Object> e : attrs.entrySet()) {
            Object v = e.getValue();
            if (v == null && !nullsClear) {
                continue;
            }
            switch (e.getKey()) {
                case "email" -> setEmail(p, (String) v);
                case "phone_number" -> setPhone(p, (String) v);
                case "external_id" -> setExternalId(p, (String) v);
                case "_kx" -> p.kx = (String) v;
                case "properties" -> p.properties = v == null ? CompactMap.EMPTY : merged(p.properties, map(v), nullsClear);
                case "location" -> {
                    attributes = attributes == null ? new CompactMap.Builder(p.attributes) : attributes;
                    Object current = attributes.get("location");
                    CompactMap location = v == null ? CompactMap.EMPTY
                            : merged(current == null ? CompactMap.EMPTY : map(current), map(v), nullsClear);
                    if (location.isEmpty()) {
                        attributes.remove("location");
                    } else {
                        attributes.put("location", location);
                    }
                }
                default -> {
                    attributes = attributes == null ? new CompactMap.Builder(p.attributes) : attributes;
                    if (v == null) {
                        attributes.remove(e.getKey());
                    } else {
                        attributes.put(e.getKey(), v);
                    }
                }
            }
        }
        if (attributes != null) {
            p.attributes = attributes.build();
        }
    }

    /** {@code current} with {@code changes} merged in key by key; a null value clears the key or is ignored. */
    private static CompactMap merged(Map<String, Object> current, Map<String, Object> changes, boolean nullsClear) {
        if (current.isEmpty()) {
            return CompactMap.copyOf(changes);
        }
        CompactMap.Builder b = new CompactMap.Builder(current);
        for (Map.Entry<String, Object> e : changes.entrySet()) {
            if (e.getValue() == null) {
                if (nullsClear) {
                    b.remove(e.getKey());
                }
            } else {
                b.put(e.getKey(), e.getValue());
            }
        }
        return b.build();
    }

    private static void applyPatchProperties(Profile p, Object patchValue) {
        if (!(patchValue instanceof Map<?, ?> patch)) {
            return;
        }
        CompactMap.Builder properties = new CompactMap.Builder(p.properties);
        Object unset = patch.get("unset");
        if (unset instanceof String key) {
            properties.remove(key);
        } else if (unset instanceof List<?> keys) {
            keys.forEach(properties::remove);
        }
        if (patch.get("append") instanceof Map<?, ?> append) {
            append.forEach((k, value) -> {
                String key = (String) k;
                List<Object> list = asList(properties.get(key));
                if (value instanceof List<?> values) {
                    list.addAll(values);
                } else {
                    list.add(value);
                }
                properties.put(key, list);
            });
        }
        if (patch.get("unappend") instanceof Map<?, ?> unappend) {
            unappend.forEach((k, value) -> {
                String key = (String) k;
                if (!properties.containsKey(key)) {
                    return;
                }
                List<Object> list = asList(properties.get(key));
                if (value instanceof List<?> values) {
                    values.forEach(list::remove);
                } else {
                    list.remove(value);
                }
                properties.put(key, list);
            });
        }
        p.properties = properties.build();
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
