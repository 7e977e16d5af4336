package org.klaviyosync.run;

import org.klaviyosync.state.AcknowledgedFingerprints;

/**
 * The identifiers a run read from the model, as their 64-bit hashes ({@link
 * AcknowledgedFingerprints#identifierHash}), 8 bytes a row, sorted once the model is read: the end
 * of a run that read the whole model tells by them which stored identifiers and managed memberships
 * left it. An identifier that left and shares its hash with one read (a chance of about n / 2^64)
 * is taken for read: its state and memberships stay.
 */
public final class IdentifiersRead {

    private final SortedLongs hashes = new SortedLongs();

    public void add(String identifierValue) {
        hashes.add(AcknowledgedFingerprints.identifierHash(identifierValue));
    }

    public boolean contains(long identifierHash) {
        return hashes.contains(identifierHash);
    }
}
