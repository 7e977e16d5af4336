package org.klaviyosync.mapping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProfileFieldTest {

    @Test
    void namesStandardFieldsAndTheirPaths() {
        assertEquals(16, ProfileField.values().length);
        ProfileField city = ProfileField.named("location.city").orElseThrow();
        assertTrue(city.inLocation());
        assertEquals("city", city.attribute());
        assertArrayEquals(new String[] {"location", "city"}, city.jsonPath());
        ProfileField first = ProfileField.named("first_name").orElseThrow();
        assertFalse(first.inLocation());
        assertArrayEquals(new String[] {"first_name"}, first.jsonPath());
        assertEquals(ProfileField.PHONE_NUMBER, ProfileField.named("phone_number").orElseThrow());
    }

    @Test
    void anythingElseIsCustom() {
        assertEquals(Optional.empty(), ProfileField.named("city"));
        assertEquals(Optional.empty(), ProfileField.named("location"));
        assertEquals(Optional.empty(), ProfileField.named("location.ip"));
        assertEquals(Optional.empty(), ProfileField.named("Email"));
        assertEquals(Optional.empty(), ProfileField.named("tier"));
        assertEquals(Optional.empty(), ProfileField.named(null));
    }

    @Test
    void syncAllColumnsUseBareAttributeNames() {
        assertEquals(ProfileField.LOCATION_CITY, ProfileField.forSyncAllColumn("city").orElseThrow());
        assertEquals(ProfileField.LOCATION_ZIP, ProfileField.forSyncAllColumn("ZIP").orElseThrow());
        assertEquals(ProfileField.FIRST_NAME, ProfileField.forSyncAllColumn("First_Name").orElseThrow());
        assertEquals(Optional.empty(), ProfileField.forSyncAllColumn("location_city"));
        assertEquals(Optional.empty(), ProfileField.forSyncAllColumn("location.city"));
        assertEquals(Optional.empty(), ProfileField.forSyncAllColumn("tier"));
    }
}
