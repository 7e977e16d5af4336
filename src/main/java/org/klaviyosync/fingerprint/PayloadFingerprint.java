package org.klaviyosync.fingerprint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The fingerprint of what a row sends to Klaviyo: its profile's JSON bytes, the request that clears
 * its nulls (if any) and its list references in sorted order. Equal for equal content, whatever the
 * column order; the change detection compares it with the stored one, so its bytes never change
 * (bump {@code MappingHash.FORMAT_VERSION} if they must). Thread-safe.
 */
public final class PayloadFingerprint {

    private final ObjectWriter writer;

    /** @param writer writes the clearing request as compact JSON, as the profile bytes are written */
    public PayloadFingerprint(ObjectWriter writer) {
        this.writer = writer;
    }

    /**
     * @param profileJson the profile resource as sent
     * @param lists       the row's list references, in any order
     * @param nullsToClear the profile-import resource clearing the row's nulls, or null
     */
    public long of(byte[] profileJson, List<String> lists, ObjectNode nullsToClear) {
        return of(profileJson, lists, nullsToClear, null);
    }

    /**
     * As {@link #of(byte[], List, ObjectNode)}, with the row's marketing consent as text (null for a sync
     * without consent, whose fingerprints it leaves as they were).
     */
    public long of(byte[] profileJson, List<String> lists, ObjectNode nullsToClear, String consent) {
        MessageDigest digest = Sha256ToLong.digest();
        digest.update(profileJson);
        if (consent != null) {
            digest.update((byte) 2);
            digest.update(consent.getBytes(StandardCharsets.UTF_8));
        }
        if (nullsToClear != null) {
            digest.update((byte) 1);
            try {
                digest.update(writer.writeValueAsBytes(nullsToClear));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a clear resource cannot be written as JSON", e);
            }
        }
        List<String> sorted = lists;
        if (lists.size() > 1) {
            sorted = new ArrayList<>(lists);
            Collections.sort(sorted);
        }
        for (String list : sorted) {
            // each name length-prefixed, so that ["ab"] and ["a","b"] differ
            byte[] name = list.getBytes(StandardCharsets.UTF_8);
            int n = name.length;
            digest.update(new byte[] {0, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
            digest.update(name);
        }
        return Sha256ToLong.finish(digest);
    }
}
