package org.klaviyosync.warehouse;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.sql.DataSource;

/**
 * The demo {@code customers} table the example syncs read: a few thousand deterministic rows
 * with list memberships, and a few bad emails and phone numbers that must end as invalid rows.
 */
public final class DemoCustomers {

    private static final String[] FIRST = {"Ada", "Grace", "Alan", "Barbara", "Edsger", "Frances", "John", "Katherine",
        "Linus", "Margaret", "Niklaus", "Radia", "Tim", "Ursula", "Whitfield", "Yukihiro"};
    private static final String[] LAST = {"Lovelace", "Hopper", "Turing", "Liskov", "Dijkstra", "Allen", "Backus",
        "Johnson", "Torvalds", "Hamilton", "Wirth", "Perlman", "Berners-Lee", "Franklin", "Diffie", "Matsumoto"};
    private static final String[][] PLACES = {{"New York", "NY", "United States", "10017", "+1212555"},
        {"Austin", "TX", "United States", "73301", "+1512555"}, {"London", "England", "United Kingdom", "EC1A 1BB",
            "+44207946"}, {"Paris", "Ile-de-France", "France", "75001", "+3315550"}, {"Berlin", "Berlin", "Germany",
            "10115", "+49301234"}};
    private static final String[] PLANS = {"free", "starter", "pro", "enterprise"};

    private DemoCustomers() {
    }

    /** Creates and fills {@code customers} unless it exists. Returns the number of rows it holds. */
    public static int ensure(DataSource dataSource, int rows) throws SQLException {
        int created = DemoTable.createUnlessExists(dataSource, "customers", """
                create table customers (
                  customer_id    text primary key,
                  email          text,
                  phone          text,
                  first_name     text,
                  last_name      text,
                  city           text,
                  region         text,
                  country        text,
                  zip            text,
                  plan           text not null,
                  lifetime_value numeric(12,2) not null,
                  signed_up_at   timestamptz not null,
                  is_active      boolean not null,
                  lists          jsonb not null default '[]'
                )""", c -> {
                    insert(c, rows);
                    return rows;
                });
        return created >= 0 ? created : DemoTable.count(dataSource, "customers");
    }

    private static void insert(Connection c, int rows) throws SQLException {
        Random random = new Random(42);
        Instant base = Instant.parse("2024-01-01T00:00:00Z");
        try (PreparedStatement ps = c.prepareStatement("insert into customers values (?,?,?,?,?,?,?,?,?,?,?,?,?,?::jsonb)")) {
            for (int i = 1; i <= rows; i++) {
                String first = FIRST[random.nextInt(FIRST.length)];
                String last = LAST[random.nextInt(LAST.length)];
                String[] place = PLACES[random.nextInt(PLACES.length)];
                String email = first.toLowerCase() + "." + last.toLowerCase().replace("-", "") + i + "@example.com";
                String phone = place[4] + String.format("%04d", i % 10_000);
                if (i % 500 == 7) {
                    email = first.toLowerCase() + "-at-example.com";
                }
                if (i % 700 == 11) {
                    phone = "555-01" + (i % 100);
                }
                if (i % 97 == 0) {
                    phone = null;
                }
                List<String> lists = new ArrayList<>();
                if (random.nextInt(3) > 0) {
                    lists.add("Newsletter");
                }
                if (random.nextInt(10) == 0) {
                    lists.add("VIP");
                }
                if (random.nextInt(4) == 0) {
                    lists.add("Product Updates");
                }
                ps.setString(1, String.format("cust-%05d", i));
                ps.setString(2, email);
                ps.setString(3, phone);
                ps.setString(4, first);
                ps.setString(5, last);
                ps.setString(6, place[0]);
                ps.setString(7, place[1]);
                ps.setString(8, place[2]);
                ps.setString(9, place[3]);
                ps.setString(10, PLANS[random.nextInt(PLANS.length)]);
                ps.setBigDecimal(11, BigDecimal.valueOf(random.nextInt(500_000), 2).setScale(2, RoundingMode.UNNECESSARY));
                ps.setTimestamp(12, Timestamp.from(base.plus(random.nextInt(900 * 24), ChronoUnit.HOURS)));
                ps.setBoolean(13, random.nextInt(5) > 0);
                ps.setString(14, toJson(lists));
                ps.addBatch();
                if (i % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private static String toJson(List<String> lists) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < lists.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"').append(lists.get(i)).append('"');
        }
        return sb.append(']').toString();
    }
}
