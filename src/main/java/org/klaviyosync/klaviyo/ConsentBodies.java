package org.klaviyosync.klaviyo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The JSON:API bodies of Bulk Subscribe Profiles ({@code profile-subscription-bulk-create-job}) and
 * Bulk Unsubscribe Profiles ({@code profile-subscription-bulk-delete-job}), in the shape Klaviyo's
 * official SDKs send: each profile by its email and/or phone number with only the channels that
 * change, and the list the consent goes through as {@code relationships.list}. A subscribe body
 * carries only the subscribed channels, an unsubscribe body only the unsubscribed ones.
 */
public final class ConsentBodies {

    /** What Klaviyo records as the consent's source. */
    public static final String CUSTOM_SOURCE = "klaviyo-sync";

    private ConsentBodies() {
    }

    /** The subscribe body; {@code historical} marks a historical import (every profile then has consented_at). */
    public static ObjectNode subscribe(ObjectMapper json, List<ConsentChange> changes, String listId,
            boolean historical) {
        ObjectNode root = json.createObjectNode();
        ObjectNode data = root.putObject("data");
        data.put("type", "profile-subscription-bulk-create-job");
        ObjectNode attributes = data.putObject("attributes");
        attributes.put("custom_source", CUSTOM_SOURCE);
        ArrayNode profiles = attributes.putObject("profiles").putArray("data");
        for (ConsentChange c : changes) {
            profiles.add(subscribeProfile(json, c, historical));
        }
        if (historical) {
            attributes.put("historical_import", true);
        }
        list(data, listId);
        return root;
    }

    /** The unsubscribe body. */
    public static ObjectNode unsubscribe(ObjectMapper json, List<ConsentChange> changes, String listId) {
        ObjectNode root = json.createObjectNode();
        ObjectNode data = root.putObject("data");
        data.put("type", "profile-subscription-bulk-delete-job");
        ArrayNode profiles = data.putObject("attributes").putObject("profiles").putArray("data");
        for (ConsentChange c : changes) {
            profiles.add(unsubscribeProfile(json, c));
        }
        list(data, listId);
        return root;
    }

    /** One profile entry of a subscribe body. */
    static ObjectNode subscribeProfile(ObjectMapper json, ConsentChange c, boolean historical) {
        boolean email = Boolean.TRUE.equals(c.emailConsent());
        boolean sms = Boolean.TRUE.equals(c.smsConsent());
        ObjectNode profile = profile(json, c, email, sms);
        ObjectNode subscriptions = ((ObjectNode) profile.get("attributes")).putObject("subscriptions");
        if (email) {
            marketing(subscriptions, "email", "SUBSCRIBED", historical ? c.consentedAt() : null);
        }
        if (sms) {
            marketing(subscriptions, "sms", "SUBSCRIBED", historical ? c.consentedAt() : null);
        }
        return profile;
    }

    /** One profile entry of an unsubscribe body. */
    static ObjectNode unsubscribeProfile(ObjectMapper json, ConsentChange c) {
        boolean email = Boolean.FALSE.equals(c.emailConsent());
        boolean sms = Boolean.FALSE.equals(c.smsConsent());
        ObjectNode profile = profile(json, c, email, sms);
        ObjectNode subscriptions = ((ObjectNode) profile.get("attributes")).putObject("subscriptions");
        if (email) {
            marketing(subscriptions, "email", "UNSUBSCRIBED", null);
        }
        if (sms) {
            marketing(subscriptions, "sms", "UNSUBSCRIBED", null);
        }
        return profile;
    }

    public static byte[] bytes(ObjectMapper json, ObjectNode body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a consent request cannot be written as JSON", e);
        }
    }

    private static ObjectNode profile(ObjectMapper json, ConsentChange c, boolean email, boolean sms) {
        ObjectNode profile = json.createObjectNode();
        profile.put("type", "profile");
        ObjectNode attributes = profile.putObject("attributes");
        // Klaviyo finds the profile by the address of each channel that changes
        if (email) {
            attributes.put("email", c.email());
        }
        if (sms) {
            attributes.put("phone_number", c.phoneNumber());
        }
        return profile;
    }

    private static void marketing(ObjectNode subscriptions, String channel, String consent, String consentedAt) {
        ObjectNode marketing = subscriptions.putObject(channel).putObject("marketing");
        marketing.put("consent", consent);
        if (consentedAt != null) {
            marketing.put("consented_at", consentedAt);
        }
    }

    private static void list(ObjectNode data, String listId) {
        ObjectNode list = data.putObject("relationships").putObject("list").putObject("data");
        list.put("type", "list");
        list.put("id", listId);
    }
}
