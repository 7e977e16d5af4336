package org.klaviyosync.standin;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/** Klaviyo-shaped ids: 26-character ULIDs (Crockford base32, upper case) and 6-character list ids. */
final class Ids {

    static final Pattern LIST_ID = Pattern.compile("^[A-Z](?=.*[a-z])(?=.*[0-9])[A-Za-z0-9]{5}$");
    static final Pattern ULID = Pattern.compile("^[0-7][0-9A-HJKMNP-TV-Z]{25}$");

    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final char[] ALNUM =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    /** Seeded once from the system's secure source; ids need to be unique, not secret. */
    private final SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());

    synchronized String ulid() {
        char[] out = new char[26];
        long time = System.currentTimeMillis();
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (time & 31)];
            time >>>= 5;
        }
        // 80 random bits, 5 per character
        long high = random.nextLong();
        long low = random.nextLong();
        for (int i = 10; i < 18; i++) {
            out[i] = CROCKFORD[(int) (high & 31)];
            high >>>= 5;
        }
        for (int i = 18; i < 26; i++) {
            out[i] = CROCKFORD[(int) (low & 31)];
            low >>>= 5;
        }
        return new String(out);
    }

    /** Shaped like Klaviyo's list ids (RYkk48, Y6nRLr): an upper-case letter first, a lower-case one, a digit. */
    synchronized String listId() {
        char[] out = new char[6];
        String id;
        do {
            out[0] = ALNUM[random.nextInt(26)];
            for (int i = 1; i < out.length; i++) {
                out[i] = ALNUM[random.nextInt(ALNUM.length)];
            }
            id = new String(out);
        } while (!LIST_ID.matcher(id).matches());
        return id;
    }
}
