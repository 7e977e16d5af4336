package org.klaviyosync.mapping;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.config.SyncKinds;

/** The mapper of each kind of sync; a new kind registers its mapper here. */
public final class PayloadMappers {

    private PayloadMappers() {
    }

    public static PayloadMapper of(SyncDefinition sync, ObjectMapper json) {
        if (sync.kind() == SyncKinds.EVENT) {
            return new EventPayloadMapper(sync, json);
        }
        return new ProfilePayloadMapper(sync, json);
    }
}
