package org.klaviyosync.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContactChecksTest {

    @ParameterizedTest
    @ValueSource(strings = {"bob@example.com", "Bob.Smith+tag@Mail.Example.CO.UK", "a@b.io",
            "o'hara@x-y.example.org", "x@xn--p1ai.xn--p1ai"})
    void acceptsCommonEmails(String email) {
        assertTrue(EmailAddress.isValid(email), email);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bob@", "@example.com", "bob", "bob@example", "bob@@example.com",
            "bob@ex ample.com", "bob smith@example.com", "bob@example..com", ".bob@example.com",
            "bob.@example.com", "bo..b@example.com", "bob@-example.com", "bob@example-.com",
            "bob@example.123", "bob@exa_mple.com", "bøb@example.com", "bob@exämple.com", " bob@example.com",
            "a@b@c.com"})
    void refusesMalformedEmails(String email) {
        assertFalse(EmailAddress.isValid(email), email);
    }

    @Test
    void emailLengthLimits() {
        String local64 = "a".repeat(64);
        assertTrue(EmailAddress.isValid(local64 + "@example.com"));
        assertFalse(EmailAddress.isValid(local64 + "a@example.com"));
        String label = "d".repeat(63);
        String domain = label + "." + label + "." + label + ".com"; // 195 characters
        String email = "a".repeat(254 - 1 - domain.length()) + "@" + domain;
        assertEquals(254, email.length());
        assertTrue(EmailAddress.isValid(email));
        assertFalse(EmailAddress.isValid("a" + email));
        assertFalse(EmailAddress.isValid("a@" + "d".repeat(64) + ".com"));
        assertEquals("bob@example.com", EmailAddress.normalize("  bob@example.com\t"));
        assertEquals("Bob@Example.com", EmailAddress.normalize("Bob@Example.com"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+15005550006", "+33612345678", "+12", "+123456789012345"})
    void acceptsE164(String phone) {
        assertTrue(PhoneNumber.isE164(phone), phone);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+331555010001", "+15555550100", "+123456789012345"})
    void refusesE164NumbersThatAreNotValidForTheirCountry(String phone) {
        assertFalse(PhoneNumber.normalize(phone, null).ok(), phone);
        assertFalse(PhoneNumber.normalize(phone, "US").ok(), phone);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+15005550006", "+33155501000", "+442079460958", "+4930901234"})
    void acceptsValidE164Numbers(String phone) {
        assertEquals(phone, PhoneNumber.normalize(phone, null).e164());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "+", "+1", "15005550006", "+05005550006", "+1 500 555 0006", "+1-500-555-0006",
            "(500) 555-0006", "+1234567890123456", "+1500555000x", "+１５００５５５０００６"})
    void refusesNonE164(String phone) {
        assertFalse(PhoneNumber.isE164(phone), phone);
    }
}
