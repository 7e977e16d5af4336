package org.klaviyosync.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfileBatcherTest {

    private static final byte[] PROFILE = "{\"type\":\"profile\",\"attributes\":{\"external_id\":\"x\"}}"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void fullBatchesHoldExactlyTheProfileLimit() {
        ProfileBatcher batcher = new ProfileBatcher(10_000, 50_000_000);
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 45_000; i++) {
            batcher.add("L1", "k" + i, PROFILE).forEach(b -> sizes.add(b.size()));
        }
        assertEquals(List.of(10_000, 10_000, 10_000, 10_000), sizes);
        assertEquals(List.of(5_000), batcher.flush().stream().map(ProfileBatch::size).toList(), "no profile lost");
    }

    @Test
    void smallLimitsAndEachListKeepTheirOwnCount() {
        ProfileBatcher batcher = new ProfileBatcher(3, 5_000_000);
        List<ProfileBatch> full = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            full.addAll(batcher.add(i % 2 == 0 ? "A" : "B", "k" + i, PROFILE));
        }
        assertTrue(full.stream().allMatch(b -> b.size() == 3), "sizes " + full.stream().map(ProfileBatch::size).toList());
        // A gets rows 0, 2, 4, 6, 8 and B rows 1, 3, 5, 7: each releases a batch of 3 at its fourth row
        assertEquals(List.of("A", "B"), full.stream().map(ProfileBatch::list).toList());
        assertEquals(9 - 6, batcher.buffered());
    }

    @Test
    void theByteLimitStillCloses() {
        ProfileBatcher batcher = new ProfileBatcher(10_000, 4096 + 10L * (PROFILE.length + 1));
        List<ProfileBatch> full = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            full.addAll(batcher.add("L", "k" + i, PROFILE));
        }
        assertEquals(List.of(10, 10), full.stream().map(ProfileBatch::size).toList());
    }
}
