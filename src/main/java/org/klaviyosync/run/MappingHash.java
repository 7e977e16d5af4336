package org.klaviyosync.run;

import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.fingerprint.Sha256ToLong;

/**
 * The hash of what decides a sync's payloads besides the data: identifier, identifier column,
 * properties, list column, lists, createLists, nulls, phoneRegion and consent (and the version of the
 * fingerprint format).
 * When it changes, the sync's stored fingerprints no longer say anything and every row is sent.
 */
public final class MappingHash {

    /** Bump when the payload or fingerprint format changes, so that every sync resends once. */
    static final int FORMAT_VERSION = 1;

    private MappingHash() {
    }

    public static long of(SyncDefinition sync) {
        StringBuilder s = new StringBuilder();
        append(s, "v" + FORMAT_VERSION);
        append(s, sync.identifier().name());
        append(s, sync.identifierColumn());
        // sorted: the mapping's own order is not stable between processes
        append(s, sync.properties().syncAll() ? "*" : new TreeMap<>(sync.properties().fieldToColumn()).toString());
        append(s, sync.listColumn() == null ? "" : sync.listColumn());
        append(s, String.join("\u0001", sync.lists()));
        append(s, String.valueOf(sync.createLists()));
        append(s, String.valueOf(sync.nulls()));
        append(s, sync.phoneRegion() == null ? "" : String.valueOf(sync.phoneRegion()));
        if (sync.consent() != null) {
            // only with consent, so a sync without it keeps its hash
            append(s, String.valueOf(sync.consent()));
        }
        return Sha256ToLong.of(s.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void append(StringBuilder s, String part) {
        s.append(part.length()).append(':').append(part).append('\u0000');
    }
}
