package org.klaviyosync.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.klaviyosync.klaviyo.KlaviyoAuthException;
import org.klaviyosync.klaviyo.ProfileImports;
import org.klaviyosync.klaviyo.ProfileUpsert;
import org.klaviyosync.run.SyncRun;

/**
 * {@code nulls=clear}: bulk import ignores nulls, so once a row's bulk import part is acknowledged,
 * its null values are cleared with one {@code POST /api/profile-import} (a null standard attribute
 * is cleared, a null custom property is unset through {@code meta.patch_properties.unset}). The
 * part counts as acknowledged only when that call succeeds too; a refusal rejects it with
 * Klaviyo's reason, a call that cannot be made defers it. Rows with nothing to clear cost nothing.
 */
public final class NullClearer {

    private final ProfileImports profileImports;

    public NullClearer(ProfileImports profileImports) {
        this.profileImports = profileImports;
    }

    /** Klaviyo acknowledged one bulk import part of the row {@code rowKey}. */
    public void acknowledge(SyncRun run, String rowKey) {
        ObjectNode clear = run.nullClears().take(rowKey);
        if (clear == null) {
            run.partAcknowledged(rowKey);
            return;
        }
        ProfileUpsert result;
        try {
            result = profileImports.upsert(clear);
        } catch (KlaviyoAuthException e) {
            run.partDeferred(rowKey, "imported, but its null values were not cleared: " + e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            run.partDeferred(rowKey, "imported, but its null values were not cleared: " + e.getMessage());
            return;
        }
        if (result.isRejected()) {
            run.partRejected(rowKey, result.code(), "imported, but Klaviyo refused to clear its null values: "
                    + result.detail());
        } else {
            run.partAcknowledged(rowKey);
        }
    }
}
