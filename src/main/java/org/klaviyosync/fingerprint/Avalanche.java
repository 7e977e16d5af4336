package org.klaviyosync.fingerprint;

/** MurmurHash3's final avalanche: a bijection on 64 bits in which every input bit moves every output bit. */
public final class Avalanche {

    private Avalanche() {
    }

    public static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
