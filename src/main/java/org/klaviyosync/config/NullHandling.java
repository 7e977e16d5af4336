package org.klaviyosync.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The sync parameter {@code nulls}: what a SQL NULL in a mapped column does to the profile in Klaviyo. */
public enum NullHandling {
    /** A null is left out of the payload; Klaviyo keeps the value it has. The default. */
    SKIP("skip"),
    /**
     * A null clears the value in Klaviyo: a standard attribute is set to null and a custom property
     * is unset, through {@code POST /api/profile-import}, since bulk import ignores nulls.
     */
    CLEAR("clear");

    private final String key;

    NullHandling(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Optional<NullHandling> named(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(v -> v.key.equals(t)).findFirst();
    }
}
