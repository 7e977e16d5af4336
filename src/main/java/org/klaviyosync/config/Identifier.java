package org.klaviyosync.config;

import java.util.Arrays;
import java.util.Optional;

/** The Klaviyo identifier a sync matches profiles on. */
public enum Identifier {
    EXTERNAL_ID("external_id"),
    EMAIL("email"),
    PHONE_NUMBER("phone_number");

    private final String attribute;

    Identifier(String attribute) {
        this.attribute = attribute;
    }

    /** The profile attribute name, also the value users write in a sync file. */
    public String attribute() {
        return attribute;
    }

    public static Optional<Identifier> fromAttribute(String value) {
        return Arrays.stream(values()).filter(i -> i.attribute.equals(value)).findFirst();
    }
}
