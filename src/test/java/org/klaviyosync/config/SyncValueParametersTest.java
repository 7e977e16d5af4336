package org.klaviyosync.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sync parameters nulls and phoneRegion, the refusal of empty or reserved property names, and
 * the identifier's own field in properties.
 */
class SyncValueParametersTest {

    private static SyncValidator.Result validate(String... extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("syncId", "s");
        p.put("model", "select 1");
        p.put("identifier", "external_id");
        p.put("identifierColumn", "id");
        p.put("properties", "first_name=first_name");
        p.put("lists", "L");
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        SyncFileReader.SyncFile file = new SyncFileReader.SyncFile(Path.of("syncs/s.yaml"), "klaviyo-profile-sync",
                null, p);
        return new SyncValidator(Path.of(".")).validate(List.of(file));
    }

    @Test
    void defaultsKeepExistingSyncFilesWorking() {
        SyncDefinition sync = validate().syncs().get(0);
        assertEquals(NullHandling.SKIP, sync.nulls());
        assertNull(sync.phoneRegion());
    }

    @Test
    void nullsAndPhoneRegionAreRead() {
        SyncDefinition sync = validate("nulls", "CLEAR", "phoneRegion", "gb").syncs().get(0);
        assertEquals(NullHandling.CLEAR, sync.nulls());
        assertEquals("GB", sync.phoneRegion());
    }

    @Test
    void badValuesSayHowToFixThem() {
        List<String> problems = validate("nulls", "erase", "phoneRegion", "USA").problems();
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("parameter 'nulls' 'erase' is not skip or clear"), problems.get(0));
        assertTrue(problems.get(1).contains("parameter 'phoneRegion' 'USA'")
                && problems.get(1).contains("ISO 3166-1 alpha-2"), problems.get(1));
        assertTrue(validate("phoneRegion", " ").problems().get(0).contains("is empty"));
    }

    @Test
    void listModeAndTheRemovalGuardAreReadAndCheckedWithHowToFixThem() {
        SyncDefinition plain = validate().syncs().get(0);
        assertEquals(ListMode.ADD, plain.listMode());
        assertEquals(20, plain.maxRemovalPercent());
        SyncDefinition mirror = validate("listMode", "Mirror", "maxRemovalPercent", "50").syncs().get(0);
        assertEquals(ListMode.MIRROR, mirror.listMode());
        assertEquals(50, mirror.maxRemovalPercent());

        List<String> problems = validate("listMode", "sync", "maxRemovalPercent", "120").problems();
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("parameter 'listMode' 'sync' is not add or mirror"), problems.get(0));
        assertTrue(problems.get(1).contains("parameter 'maxRemovalPercent' '120' is not a whole number from 0 to 100"),
                problems.get(1));
        assertTrue(validate("maxRemovalPercent", "ten").problems().get(0).contains("'ten' is not a whole number"));
    }

    @Test
    void mappingTheIdentifierToItsOwnColumnIsRedundantButAnotherColumnIsRefused() {
        SyncValidator.Result redundant = validate("identifierColumn", "cust_id",
                "properties", "external_id=cust_id,first_name=first_name");
        assertEquals(List.of(), redundant.problems());
        assertEquals("cust_id", redundant.syncs().get(0).identifierColumn());
        assertTrue(validate("identifierColumn", "cust_id", "properties", "external_id=CUST_ID").problems().isEmpty(),
                "columns are looked up without regard to case");

        List<String> problems = validate("identifierColumn", "cust_id", "properties", "external_id=crm_id").problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("syncs/s.yaml") && problems.get(0).contains("'properties'")
                && problems.get(0).contains("identifierColumn 'cust_id', not from column 'crm_id'"), problems.get(0));
    }

    @Test
    void emptyAndReservedPropertyNamesAreRefused() {
        List<String> problems = validate("properties", "=first_name,$email=email").problems();
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("empty property name"), problems.get(0));
        assertTrue(problems.get(1).contains("'$email' starts with '$'"), problems.get(1));
    }
}
