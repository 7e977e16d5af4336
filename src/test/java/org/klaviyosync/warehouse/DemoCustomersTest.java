package org.klaviyosync.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.klaviyosync.e2e.TestWarehouse;
import org.klaviyosync.mapping.PhoneNumber;

/** The demo data's phone numbers are valid where they are meant to be, as Klaviyo checks them. */
class DemoCustomersTest {

    @Test
    void onlyTheDeliberatelyBadPhoneNumbersAreInvalid() throws Exception {
        TestWarehouse warehouse = TestWarehouse.withDemoCustomers(3000);
        int valid = 0;
        int bad = 0;
        try (Connection c = warehouse.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select phone, country from customers where phone is not null")) {
            while (rs.next()) {
                String phone = rs.getString(1);
                if (phone.startsWith("555-01")) {
                    assertFalse(PhoneNumber.normalize(phone, null).ok(), phone);
                    bad++;
                } else {
                    assertTrue(PhoneNumber.normalize(phone, null).ok(), phone + " (" + rs.getString(2) + ")");
                    valid++;
                }
            }
        }
        assertEquals(5, bad, "rows 11, 711, 1411, 2111 and 2811");
        assertTrue(valid > 2900, "valid numbers: " + valid);
    }
}
