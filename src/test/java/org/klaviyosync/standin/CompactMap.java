package org.klaviyosync.standin;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable, insertion-ordered map held in one array of alternating keys and values. Lookups scan
 * the array, which suits the few attributes and properties of a profile; the store keeps a million of
 * those in the speed benchmark, where a {@code LinkedHashMap} apiece (a table and an entry object per
 * key) costs several times the memory, and the garbage collector several times the work to copy it.
 *
 * <p>The maps the store keeps as a profile's attributes and properties hold no null values
 * ({@link #copyOf} drops them); maps read from a request ({@link StandInJson#readCompact}) keep them,
 * since a null there means "clear" or "ignore".
 */
final class CompactMap extends AbstractMap<String, Object> {

    static final CompactMap EMPTY = new CompactMap(new Object[0]);

    private final Object[] keysAndValues;

    private CompactMap(Object[] keysAndValues) {
        this.keysAndValues = keysAndValues;
    }

    /** A map of the first {@code length} slots of {@code keysAndValues} (keys at even indexes, distinct). */
    static CompactMap of(Object[] keysAndValues, int length) {
        return length == 0 ? EMPTY
                : new CompactMap(length == keysAndValues.length ? keysAndValues : Arrays.copyOf(keysAndValues, length));
    }

    /** The entries of {@code map} with a value, in its order; {@code map} itself when it is such a map already. */
    static CompactMap copyOf(Map<String, Object> map) {
        if (map instanceof CompactMap compact && !compact.hasNullValue()) {
            return compact;
        }
        Builder b = new Builder(map.size());
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (e.getValue() != null) {
                b.append(e.getKey(), e.getValue());
            }
        }
        return b.build();
    }

    private boolean hasNullValue() {
        for (int i = 1; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i] == null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int size() {
        return keysAndValues.length / 2;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(keysAndValues, keysAndValues.length, key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(keysAndValues, keysAndValues.length, key);
        return i < 0 ? null : keysAndValues[i + 1];
    }

    private static int indexOf(Object[] kv, int length, Object key) {
        for (int i = 0; i < length; i += 2) {
            if (kv[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return CompactMap.this.size();
            }

            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < keysAndValues.length;
                    }

                    @Override
                    public Map.Entry<String, Object> next() {
                        if (i >= keysAndValues.length) {
                            throw new NoSuchElementException();
                        }
                        Map.Entry<String, Object> e =
                                new SimpleImmutableEntry<>((String) keysAndValues[i], keysAndValues[i + 1]);
                        i += 2;
                        return e;
                    }
                };
            }
        };
    }

    /** Builds a map by changing a copy of another; keeps the order of first insertion. */
    static final class Builder {
        private Object[] kv;
        private int length;

        Builder(int expectedSize) {
            kv = new Object[Math.max(2, 2 * expectedSize)];
        }

        /** Starts from the entries of {@code map}. */
        Builder(Map<String, Object> map) {
            this(map.size() + 2);
            for (Map.Entry<String, Object> e : map.entrySet()) {
                append(e.getKey(), e.getValue());
            }
        }

        Object get(String key) {
            int i = indexOf(kv, length, key);
            return i < 0 ? null : kv[i + 1];
        }

        boolean containsKey(String key) {
            return indexOf(kv, length, key) >= 0;
        }

        void put(String key, Object value) {
            int i = indexOf(kv, length, key);
            if (i >= 0) {
                kv[i + 1] = value;
            } else {
                append(key, value);
            }
        }

        void remove(Object key) {
            int i = indexOf(kv, length, key);
            if (i >= 0) {
                System.arraycopy(kv, i + 2, kv, i, length - i - 2);
                length -= 2;
                kv[length] = null;
                kv[length + 1] = null;
            }
        }

        /** Adds a key known not to be present yet. */
        void append(String key, Object value) {
            if (length == kv.length) {
                kv = Arrays.copyOf(kv, 2 * kv.length);
            }
            kv[length++] = key;
            kv[length++] = value;
        }

        CompactMap build() {
            return length == 0 ? EMPTY : new CompactMap(Arrays.copyOf(kv, length));
        }
    }
}
