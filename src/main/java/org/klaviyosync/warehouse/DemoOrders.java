package org.klaviyosync.warehouse;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import javax.sql.DataSource;

/**
 * The demo {@code orders} table the sample event sync reads: about two deterministic orders per
 * demo customer, and a few with a time before 2000, which Klaviyo does not accept (invalid rows).
 */
public final class DemoOrders {

    private static final String[] SKUS = {"BOOK-001", "BOOK-002", "MUG-010", "TEE-100", "CAP-200", "PEN-300"};

    private DemoOrders() {
    }

    /** Creates and fills {@code orders} for the demo customers unless it exists. Returns its row count. */
    public static int ensure(DataSource dataSource, int customers) throws SQLException {
        return DemoTable.createUnlessExists(dataSource, "orders", """
                create table orders (
                  order_id    text primary key,
                  customer_id text not null,
                  ordered_at  timestamptz not null,
                  total       numeric(12,2) not null,
                  sku         text not null,
                  quantity    integer not null
                )""", c -> insert(c, customers));
    }

    private static int insert(Connection c, int customers) throws SQLException {
        Random random = new Random(7);
        Instant base = Instant.parse("2025-01-01T00:00:00Z");
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement("insert into orders values (?,?,?,?,?,?)")) {
            for (int customer = 1; customer <= customers; customer++) {
                int orders = random.nextInt(4);
                for (int o = 0; o < orders; o++) {
                    n++;
                    Instant at = n % 900 == 5 ? Instant.parse("1999-12-24T10:00:00Z")
                            : base.plus(random.nextInt(300 * 24), ChronoUnit.HOURS);
                    ps.setString(1, String.format("ord-%06d", n));
                    ps.setString(2, String.format("cust-%05d", customer));
                    ps.setTimestamp(3, Timestamp.from(at));
                    ps.setBigDecimal(4, BigDecimal.valueOf(500 + random.nextInt(20_000), 2));
                    ps.setString(5, SKUS[random.nextInt(SKUS.length)]);
                    ps.setInt(6, 1 + random.nextInt(3));
                    ps.addBatch();
                }
                if (customer % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        return n;
    }
}
