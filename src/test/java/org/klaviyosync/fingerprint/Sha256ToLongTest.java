package org.klaviyosync.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

class Sha256ToLongTest {

    @Test
    void isTheFirstEightBytesOfSha256BigEndian() {
        // SHA-256("abc") = ba7816bf 8f01cfea 414140de ... (FIPS 180-2, appendix B.1)
        assertEquals(0xba7816bf8f01cfeaL, Sha256ToLong.of("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aDigestFedInPartsGivesTheSameValueAndStartsClean() {
        MessageDigest leftOver = Sha256ToLong.digest();
        leftOver.update("not finished".getBytes(StandardCharsets.US_ASCII));

        MessageDigest digest = Sha256ToLong.digest();
        digest.update("a".getBytes(StandardCharsets.US_ASCII));
        digest.update("bc".getBytes(StandardCharsets.US_ASCII));

        assertEquals(0xba7816bf8f01cfeaL, Sha256ToLong.finish(digest));
    }
}
