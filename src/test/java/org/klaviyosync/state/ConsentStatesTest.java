package org.klaviyosync.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.klaviyosync.e2e.TestWarehouse;
import org.klaviyosync.state.ConsentStates.Acknowledged;

class ConsentStatesTest {

    private static DataSource state;

    @BeforeAll
    static void database() throws Exception {
        state = TestWarehouse.fresh().dataSource();
        new StateStore(state).migrate();
        // migrating again (another instance starting) keeps the table as it is
        new StateStore(state).migrate();
    }

    @Test
    void aChannelAcknowledgedReplacesTheStoredValueAndANullChannelKeepsIt() throws Exception {
        ConsentStates store = new ConsentStates(state);
        store.record("s", 1, List.of(new Acknowledged("a", true, false), new Acknowledged("b", true, null),
                new Acknowledged("other's", false, false)));
        store.record("t", 1, List.of(new Acknowledged("a", false, null)));

        // a later run: a's SMS is subscribed, b's email unsubscribed; two entries for a in one call merge
        store.record("s", 2, List.of(new Acknowledged("a", null, true), new Acknowledged("b", false, null),
                new Acknowledged("a", null, null)));

        Map<String, Acknowledged> s = store.acknowledged("s");
        assertEquals(new Acknowledged("a", true, true), s.get("a"));
        assertEquals(new Acknowledged("b", false, null), s.get("b"));
        assertEquals(new Acknowledged("other's", false, false), s.get("other's"));
        assertEquals(Map.of("a", new Acknowledged("a", false, null)), store.acknowledged("t"), "per sync");
    }

}
