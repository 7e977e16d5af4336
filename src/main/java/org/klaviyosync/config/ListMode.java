package org.klaviyosync.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The sync parameter {@code listMode}: whether the sync only adds profiles to lists, or also removes them. */
public enum ListMode {
    /** Profiles are added to their lists and never removed. The default. */
    ADD("add"),
    /**
     * The sync manages the memberships Klaviyo acknowledged for it: once a run read the whole
     * model, a profile whose row no longer names a list (or left the model) is removed from it.
     */
    MIRROR("mirror");

    private final String key;

    ListMode(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Optional<ListMode> named(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(v -> v.key.equals(t)).findFirst();
    }
}
