package org.klaviyosync.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Bulk Subscribe Profiles ({@code POST /api/profile-subscription-bulk-create-jobs}, type
 * {@code profile-subscription-bulk-create-job}, at most 1,000 profiles) and Bulk Unsubscribe Profiles
 * ({@code POST /api/profile-subscription-bulk-delete-jobs}, type {@code profile-subscription-bulk-delete-job},
 * at most 100), as Klaviyo documents them (revision 2026-07-15) and its Node SDK sends them: each
 * profile by {@code email} and/or {@code phone_number} with {@code subscriptions.<channel>.marketing.consent}
 * (SUBSCRIBED, resp. UNSUBSCRIBED) for email and SMS; a channel needs its address; {@code consented_at}
 * (subscribe only) is a past date and time, and required on every channel with {@code historical_import}.
 * Stricter than Klaviyo in one point: {@code relationships.list} (an existing list) is required, since
 * klaviyo-sync always names one. Every problem is answered at once as a 400 whose pointers name the
 * profiles, and nothing changes; otherwise 202 without a body. Subscribing adds the profile to the list
 * (creating it when missing); unsubscribing from a list the profile is not in is recorded as global, as
 * Klaviyo warns.
 */
public final class ProfileSubscriptionsResource {

    static final int MAX_SUBSCRIBE = 1_000;
    static final int MAX_UNSUBSCRIBE = 100;
    private static final String PROFILES = "/data/attributes/profiles/data";

    /** A profile's marketing consent on one channel, as recorded. */
    public record ChannelConsent(String consent, String listId, boolean historical, String consentedAt,
            boolean global) {
    }

    private final StandInProfiles profiles;
    private final StandInLists lists;
    /** profile id -> channel ("email", "sms") -> consent */
    private final Map<String, Map<String, ChannelConsent>> consents = new HashMap<>();
    private boolean smsAgeGating;

    ProfileSubscriptionsResource(StandInProfiles profiles, StandInLists lists) {
        this.profiles = profiles;
        this.lists = lists;
    }

    void clear() {
        consents.clear();
        smsAgeGating = false;
    }

    /** Accounts with age gating need {@code age_gated_date_of_birth} to subscribe a profile to SMS. */
    void setSmsAgeGating(boolean on) {
        smsAgeGating = on;
    }

    /** The person unsubscribed in Klaviyo (an unsubscribe link): globally, from every list. */
    void unsubscribedByThePerson(String profileId, String channel) {
        consents.computeIfAbsent(profileId, k -> new HashMap<>()).put(channel,
                new ChannelConsent("UNSUBSCRIBED", null, false, null, true));
    }

    Optional<ChannelConsent> consentOf(String profileId, String channel) {
        return Optional.ofNullable(consents.getOrDefault(profileId, Map.of()).get(channel));
    }

    ApiResponse subscribe(ApiRequest req) {
        return change(req, true);
    }

    ApiResponse unsubscribe(ApiRequest req) {
        return change(req, false);
    }

    private ApiResponse change(ApiRequest req, boolean subscribe) {
        JsonNode data = Bodies.data(req);
        Bodies.requireType(data, "/data", subscribe ? "profile-subscription-bulk-create-job"
                : "profile-subscription-bulk-delete-job");
        Bodies.unknownMembers(data, "/data", Set.of("type", "attributes", "relationships"));
        ObjectNode attributes = Bodies.object(data, "attributes", "/data/attributes");
        Bodies.unknownMembers(attributes, "/data/attributes", subscribe
                ? Set.of("custom_source", "profiles", "historical_import") : Set.of("profiles"));
        boolean historical = false;
        if (subscribe) {
            JsonNode source = attributes.get("custom_source");
            if (source != null && !source.isNull() && !source.isTextual()) {
                throw JsonApiErrors.invalid("/data/attributes/custom_source", "'custom_source' must be a string.");
            }
            JsonNode h = attributes.get("historical_import");
            if (h != null && !h.isNull() && !h.isBoolean()) {
                throw JsonApiErrors.invalid("/data/attributes/historical_import",
                        "'historical_import' must be a boolean.");
            }
            historical = h != null && h.asBoolean(false);
        }
        ObjectNode profilesNode = Bodies.object(attributes, "profiles", "/data/attributes/profiles");
        Bodies.unknownMembers(profilesNode, "/data/attributes/profiles", Set.of("data"));
        JsonNode entries = profilesNode.get("data");
        int max = subscribe ? MAX_SUBSCRIBE : MAX_UNSUBSCRIBE;
        if (entries == null || !entries.isArray() || entries.isEmpty() || entries.size() > max) {
            throw JsonApiErrors.invalid(PROFILES, "Between 1 and " + max + " profiles may be "
                    + (subscribe ? "subscribed" : "unsubscribed") + " per request; got "
                    + (entries == null || !entries.isArray() ? "none" : entries.size()) + ".");
        }
        ObjectNode relationships = Bodies.object(data, "relationships", "/data/relationships");
        Bodies.unknownMembers(relationships, "/data/relationships", Set.of("list"));
        ObjectNode list = Bodies.object(relationships, "list", "/data/relationships/list");
        Bodies.unknownMembers(list, "/data/relationships/list", Set.of("data"));
        ObjectNode listData = Bodies.object(list, "data", "/data/relationships/list/data");
        Bodies.requireType(listData, "/data/relationships/list/data", "list");
        Bodies.unknownMembers(listData, "/data/relationships/list/data", Set.of("type", "id"));
        String listId = listData.path("id").isTextual() ? listData.get("id").asText() : null;
        if (listId == null) {
            throw JsonApiErrors.invalid("/data/relationships/list/data/id", "'id' is a required string.");
        }
        if (lists.get(listId) == null) {
            throw JsonApiErrors.notFoundAt("/data/relationships/list/data/id", "A list with id " + listId
                    + " does not exist.");
        }
        List<ObjectNode> errors = new ArrayList<>();
        List<Map<String, String>> changes = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            changes.add(validate(entries.get(i), PROFILES + "/" + i, subscribe, historical, errors));
        }
        if (!errors.isEmpty()) {
            throw Bodies.many(errors);
        }
        for (Map<String, String> change : changes) {
            apply(change, subscribe, historical, listId);
        }
        return new ApiResponse(202, null);
    }

    /**
     * The entry's addresses and consent per channel (keys email, phone_number, consent.email, consent.sms,
     * email.at, sms.at).
     */
    private Map<String, String> validate(JsonNode entry, String pointer, boolean subscribe, boolean historical,
            List<ObjectNode> errors) {
        Map<String, String> change = new LinkedHashMap<>();
        if (!entry.isObject() || !"profile".equals(entry.path("type").asText())) {
            errors.add(JsonApiErrors.invalidAt(pointer + "/type", "The type must be 'profile'."));
            return change;
        }
        unknown(entry, pointer, Set.of("type", "id", "attributes"), errors);
        JsonNode a = entry.path("attributes");
        if (!a.isObject()) {
            errors.add(JsonApiErrors.invalidAt(pointer + "/attributes", "'attributes' is a required object."));
            return change;
        }
        String at = pointer + "/attributes";
        unknown(a, at, subscribe ? Set.of("email", "phone_number", "subscriptions", "age_gated_date_of_birth")
                : Set.of("email", "phone_number", "subscriptions"), errors);
        JsonNode email = a.get("email");
        if (email != null && !email.isNull()) {
            if (!email.isTextual() || !ProfileValidation.EMAIL.matcher(email.asText()).matches()) {
                errors.add(JsonApiErrors.invalidAt(at + "/email", "Invalid email address."));
            } else {
                change.put("email", email.asText());
            }
        }
        JsonNode phone = a.get("phone_number");
        if (phone != null && !phone.isNull()) {
            if (!phone.isTextual() || !ProfileValidation.E164.matcher(phone.asText()).matches()) {
                errors.add(JsonApiErrors.invalidAt(at + "/phone_number", "Invalid phone number format"
                        + " (Example of a valid format: +13239169023)."));
            } else {
                change.put("phone_number", phone.asText());
            }
        }
        JsonNode subscriptions = a.get("subscriptions");
        if (subscriptions == null || !subscriptions.isObject() || subscriptions.isEmpty()) {
            errors.add(JsonApiErrors.invalidAt(at + "/subscriptions", "'subscriptions' is a required object"
                    + " naming at least one channel."));
            return change;
        }
        unknown(subscriptions, at + "/subscriptions", Set.of("email", "sms", "whatsapp", "push"), errors);
        String expected = subscribe ? "SUBSCRIBED" : "UNSUBSCRIBED";
        for (String channel : List.of("email", "sms")) {
            JsonNode c = subscriptions.get(channel);
            if (c == null) {
                continue;
            }
            String cp = at + "/subscriptions/" + channel;
            if (!c.isObject()) {
                errors.add(JsonApiErrors.invalidAt(cp, "'" + channel + "' must be an object."));
                continue;
            }
            unknown(c, cp, channel.equals("email") ? Set.of("marketing", "open_tracking")
                    : Set.of("marketing", "transactional"), errors);
            JsonNode m = c.get("marketing");
            if (m == null) {
                continue;
            }
            String mp = cp + "/marketing";
            if (!m.isObject()) {
                errors.add(JsonApiErrors.invalidAt(mp, "'marketing' must be an object."));
                continue;
            }
            unknown(m, mp, subscribe ? Set.of("consent", "consented_at") : Set.of("consent"), errors);
            if (!expected.equals(m.path("consent").asText(null))) {
                errors.add(JsonApiErrors.invalidAt(mp + "/consent", "'consent' must be '" + expected + "'."));
                continue;
            }
            String address = channel.equals("email") ? "email" : "phone_number";
            if (!change.containsKey(address)) {
                errors.add(JsonApiErrors.invalidAt(at + "/" + address, "A profile " + (subscribe ? "subscribed"
                        : "unsubscribed") + " to " + channel + " marketing needs '" + address + "'."));
                continue;
            }
            JsonNode consentedAt = m.get("consented_at");
            if (consentedAt != null && !consentedAt.isNull()) {
                Instant when = instant(consentedAt.asText());
                if (!consentedAt.isTextual() || when == null) {
                    errors.add(JsonApiErrors.invalidAt(mp + "/consented_at", "'consented_at' must be a datetime."));
                    continue;
                }
                if (when.isAfter(Instant.now())) {
                    errors.add(JsonApiErrors.invalidAt(mp + "/consented_at", "'consented_at' must be in the past."));
                    continue;
                }
                change.put(channel + ".at", when.toString());
            } else if (historical) {
                errors.add(JsonApiErrors.invalidAt(mp + "/consented_at", "'consented_at' is required when"
                        + " historical_import is true."));
                continue;
            }
            if (subscribe && channel.equals("sms") && smsAgeGating && a.get("age_gated_date_of_birth") == null) {
                errors.add(JsonApiErrors.invalidAt(at + "/age_gated_date_of_birth", "This account uses age"
                        + " gating: 'age_gated_date_of_birth' is required to subscribe a profile to SMS."));
                continue;
            }
            change.put("consent." + channel, expected);
        }
        return change;
    }

    private void apply(Map<String, String> change, boolean subscribe, boolean historical, String listId) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        if (change.containsKey("email")) {
            attributes.put("email", change.get("email"));
        }
        if (change.containsKey("phone_number")) {
            attributes.put("phone_number", change.get("phone_number"));
        }
        StandInProfiles.Profile p = profiles.byEmail(change.get("email"));
        if (p == null && change.get("phone_number") != null) {
            p = profiles.byPhone(change.get("phone_number"));
        }
        if (p == null) {
            Map<String, Object> resource = new LinkedHashMap<>();
            resource.put("type", "profile");
            resource.put("attributes", attributes);
            p = profiles.upsert(resource, false, false).profile();
        }
        boolean inList = lists.listsOf(p.id).contains(listId);
        Map<String, ChannelConsent> own = consents.computeIfAbsent(p.id, k -> new HashMap<>());
        for (String channel : List.of("email", "sms")) {
            String consent = change.get("consent." + channel);
            if (consent != null) {
                own.put(channel, new ChannelConsent(consent, listId, subscribe && historical,
                        change.get(channel + ".at"), !subscribe && !inList));
            }
        }
        if (subscribe) {
            lists.addMember(listId, p.id);
        }
    }

    private static void unknown(JsonNode node, String pointer, Set<String> allowed, List<ObjectNode> errors) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                errors.add(JsonApiErrors.invalidAt(pointer + "/" + name, "'" + name + "' is not a valid field here."));
            }
        }
    }

    private static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
