package org.klaviyosync.standin;

import java.util.Map;
import java.util.Set;

/**
 * Immutable snapshot of one stored profile.
 *
 * @param id          26-character ULID
 * @param email       email or null
 * @param phoneNumber E.164 phone number or null
 * @param externalId  external id or null
 * @param attributes  the other standard attributes that are set (first_name, last_name, organization,
 *                    title, locale, image, location as a nested map); identifiers and {@code _kx} excluded
 * @param properties  custom properties
 * @param listIds     ids of the lists the profile is a member of
 */
public record StandInProfile(String id, String email, String phoneNumber, String externalId,
                             Map<String, Object> attributes, Map<String, Object> properties, Set<String> listIds) {

    public StandInProfile {
        attributes = StandInJson.frozenMap(attributes);
        properties = StandInJson.frozenMap(properties);
        listIds = Set.copyOf(listIds);
    }

    /** A standard attribute, e.g. {@code attribute("first_name")}, or null. */
    public Object attribute(String name) {
        return attributes.get(name);
    }

    /** A custom property or null. */
    public Object property(String name) {
        return properties.get(name);
    }
}
