package org.klaviyosync.config;

import java.util.List;
import java.util.Optional;

/** Every kind of sync the service knows; a new kind is registered here. */
public final class SyncKinds {

    public static final SyncKind PROFILE = new ProfileSyncKind();
    public static final SyncKind EVENT = new EventSyncKind();

    private static final List<SyncKind> ALL = List.of(PROFILE, EVENT);

    private SyncKinds() {
    }

    public static List<SyncKind> all() {
        return ALL;
    }

    public static Optional<SyncKind> byTemplate(String templateId) {
        return ALL.stream().filter(k -> k.templateId().equals(templateId)).findFirst();
    }

    /** The template ids, for messages. */
    public static String templateIds() {
        return String.join(", ", ALL.stream().map(SyncKind::templateId).toList());
    }
}
