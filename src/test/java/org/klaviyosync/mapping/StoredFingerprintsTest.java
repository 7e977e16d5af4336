package org.klaviyosync.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.klaviyosync.mapping.Fixtures.JSON;
import static org.klaviyosync.mapping.Fixtures.row;
import static org.klaviyosync.mapping.Fixtures.specific;
import static org.klaviyosync.mapping.Fixtures.sync;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.klaviyosync.config.Identifier;
import org.klaviyosync.config.NullHandling;
import org.klaviyosync.config.PropertyMappings;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.run.MappingHash;

/**
 * Fingerprints and mapping hashes are stored in the state database: after an upgrade, the same row
 * must give the same value, or every profile of every sync is sent again. The values below were
 * computed by the release before the fingerprint moved out of the mapper.
 */
class StoredFingerprintsTest {

    private static final SyncDefinition CRM = sync(Identifier.EXTERNAL_ID, "id", specific(
            "email", "work_email", "first_name", "first", "location.city", "town", "tier", "tier",
            "lifetime_value", "ltv", "signed_up", "signed_up"), "lists", List.of("Census Uploads"));

    @Test
    void aKnownRowKeepsItsStoredFingerprint() {
        MappedRow mapped = new ProfilePayloadMapper(CRM, JSON).map(row("id", "crm-42",
                "work_email", " Bob@Example.com ", "first", "Bob", "town", "Paris", "tier", "gold",
                "ltv", new BigDecimal("1234.50"), "signed_up", Timestamp.valueOf("2024-05-01 12:30:00"),
                "lists", "[\"VIP\",\"Alpha\"]"));

        assertEquals(8023601130578076049L, mapped.fingerprint());
    }

    @Test
    void aKnownRowWithNullsToClearKeepsItsStoredFingerprint() {
        SyncDefinition clearing = sync(Identifier.EMAIL, "email", PropertyMappings.all(), null, List.of("A"))
                .withValues(NullHandling.CLEAR, "US");
        MappedRow mapped = new ProfilePayloadMapper(clearing, JSON).map(row("email", "ann@shop.com",
                "first_name", null, "city", null, "score", 7, "note", null, "phone_number", "(415) 555-0100"));

        assertEquals(-7225120623088374584L, mapped.fingerprint());
        assertEquals("{\"type\":\"profile\",\"attributes\":{\"email\":\"ann@shop.com\",\"first_name\":null,"
                + "\"location\":{\"city\":null}},\"meta\":{\"patch_properties\":{\"unset\":[\"note\"]}}}",
                mapped.nullsToClear().toString());
    }

    @Test
    void aKnownSyncKeepsItsStoredMappingHash() {
        assertEquals(-5944749143640314459L, MappingHash.of(CRM));
        assertEquals(7674188745004480327L, MappingHash.of(CRM.withValues(NullHandling.CLEAR, "GB")));
    }
}
