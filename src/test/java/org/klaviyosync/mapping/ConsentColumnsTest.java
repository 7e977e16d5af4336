package org.klaviyosync.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.klaviyosync.config.ConsentFields;
import org.klaviyosync.config.Identifier;
import org.klaviyosync.config.PropertyMappings;
import org.klaviyosync.config.SyncDefinition;

/**
 * A profile sync's consent columns as the mapper reads them: true / false / NULL per channel, part of
 * the fingerprint (so only changes are sent), never a custom property under Sync All; a value that is
 * not a consent, a channel without its address and a historical consent without a past time make the
 * row invalid, naming the column.
 */
class ConsentColumnsTest {

    private static ProfilePayloadMapper mapper(PropertyMappings properties, String consentedAt) {
        SyncDefinition sync = Fixtures.sync(Identifier.EXTERNAL_ID, "id", properties, null, List.of("Newsletter"))
                .withConsent(new ConsentFields("email_ok", "sms_ok", "Newsletter", consentedAt));
        return new ProfilePayloadMapper(sync, Fixtures.JSON);
    }

    private static MappedRow map(Object emailOk, Object smsOk, String phone) {
        return mapper(Fixtures.specific("email", "email", "phone_number", "phone"), null).map(Fixtures.row(
                "id", "c1", "email", "One@Example.com", "phone", phone, "email_ok", emailOk, "sms_ok", smsOk));
    }

    @Test
    void eachChannelIsTrueFalseOrNullAndTheStateIsPartOfTheFingerprint() {
        MappedRow subscribe = map(true, false, "+14155552671");
        assertTrue(subscribe.valid(), subscribe.describe("vip"));
        ConsentValues c = subscribe.consent();
        assertEquals(Boolean.TRUE, c.emailConsent());
        assertEquals(Boolean.FALSE, c.smsConsent());
        assertEquals("one@example.com", c.email(), "the address as sent to Klaviyo");
        assertEquals("+14155552671", c.phoneNumber());

        MappedRow none = map(null, null, "+14155552671");
        assertNull(none.consent(), "NULL on every channel changes no consent");
        MappedRow text = map("TRUE", "false", "+14155552671");
        assertEquals(subscribe.fingerprint(), text.fingerprint(), "text true/false reads as the boolean");
        assertNotEquals(subscribe.fingerprint(), none.fingerprint());
        assertNotEquals(subscribe.fingerprint(), map(false, true, "+14155552671").fingerprint());
        assertNotEquals(map(true, null, "+14155552671").fingerprint(), map(null, true, "+14155552671").fingerprint());
        assertEquals(subscribe.profile(), none.profile(), "consent is not a profile attribute");
    }

    @Test
    void aValueThatIsNotAConsentOrAChannelWithoutItsAddressMakesTheRowInvalid() {
        MappedRow maybe = map("maybe", null, null);
        assertFalse(maybe.valid());
        assertEquals("email_ok", maybe.problem().field());
        assertTrue(maybe.describe("vip").contains("column 'email_ok' (emailConsent) holds 'maybe'; consent is true"
                + " (subscribe), false (unsubscribe) or NULL (leave alone)"), maybe.describe("vip"));

        MappedRow noPhone = map(true, true, null);
        assertFalse(noPhone.valid());
        assertTrue(noPhone.describe("vip").contains("column 'sms_ok' (smsConsent) is true, but the row has no phone"
                + " number to subscribe"), noPhone.describe("vip"));
        assertTrue(map(true, null, null).valid(), "no SMS change, no phone number needed");
    }

    @Test
    void historicalConsentNeedsAPastTime() {
        ProfilePayloadMapper historical = mapper(Fixtures.specific("email", "email"), "opted_in_at");
        MappedRow ok = historical.map(Fixtures.row("id", "c1", "email", "a@x.com", "email_ok", true, "sms_ok", null,
                "opted_in_at", Timestamp.valueOf("2024-03-01 10:00:00")));
        assertTrue(ok.valid(), ok.describe("vip"));
        assertEquals("2024-03-01T10:00:00Z", ok.consent().consentedAt());
        MappedRow future = historical.map(Fixtures.row("id", "c1", "email", "a@x.com", "email_ok", true, "sms_ok",
                null, "opted_in_at", Timestamp.valueOf("2999-01-01 00:00:00")));
        assertFalse(future.valid());
        assertTrue(future.describe("vip").contains("in the future"), future.describe("vip"));
        MappedRow unsubscribe = historical.map(Fixtures.row("id", "c1", "email", "a@x.com", "email_ok", false,
                "sms_ok", null, "opted_in_at", null));
        assertTrue(unsubscribe.valid(), "an unsubscription needs no consent time");
    }

    @Test
    void underSyncAllTheConsentColumnsAreNotCustomProperties() {
        MappedRow row = mapper(PropertyMappings.all(), "opted_in_at").map(Fixtures.row("id", "c1", "email", "a@x.com",
                "tier", "gold", "email_ok", true, "sms_ok", null, "opted_in_at", Timestamp.valueOf("2024-03-01 10:00:00")));
        assertTrue(row.valid(), row.describe("vip"));
        assertEquals("{\"tier\":\"gold\"}", row.profile().at("/attributes/properties").toString());
        assertEquals(Boolean.TRUE, row.consent().emailConsent());
    }
}
