package org.klaviyosync.standin;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Parser for Klaviyo's {@code filter} parameter, strict on purpose: no whitespace outside strings,
 * strings in double quotes with only {@code \"} and {@code \\} escapes, datetimes unquoted. Several
 * conditions may be joined by commas at the top level or inside {@code and(...)}; all must hold.
 */
final class Filters {

    /** A value written without quotes (a datetime, number or boolean). */
    record Raw(String text) {
    }

    /** One condition such as {@code equals(name,"x")}; values are Strings (quoted) or {@link Raw}. */
    record Condition(String op, String field, List<Object> values) {
    }

    private static final Set<String> OPERATORS = Set.of("equals", "any", "greater-than", "less-than",
            "greater-or-equal", "less-or-equal", "contains", "starts-with", "ends-with", "has");

    private final String text;
    private int pos;

    private Filters(String text) {
        this.text = text;
    }

    /**
     * Parses and checks the filter against the allowed operators per field.
     *
     * @param allowed field name to allowed operators
     * @return conditions, empty when {@code filter} is null
     */
    static List<Condition> parse(String filter, Map<String, Set<String>> allowed) {
        if (filter == null) {
            return List.of();
        }
        Filters p = new Filters(filter);
        List<Condition> out = new ArrayList<>();
        p.expressions(out);
        if (p.pos != filter.length()) {
            throw p.malformed("unexpected '" + filter.charAt(p.pos) + "' at position " + p.pos);
        }
        for (Condition c : out) {
            Set<String> ops = allowed.get(c.field());
            if (ops == null) {
                throw bad("'" + c.field() + "' is not a valid field for the resource.");
            }
            if (!ops.contains(c.op())) {
                throw bad("Operator '" + c.op() + "' is not allowed for field '" + c.field() + "'.");
            }
            boolean datetime = c.op().contains("-than") || c.op().contains("-or-");
            for (Object v : c.values()) {
                if (datetime) {
                    if (!(v instanceof Raw raw) || parseTime(raw.text()) == null) {
                        throw bad("'" + c.field() + "' must be compared with an unquoted ISO 8601 datetime.");
                    }
                } else if (!(v instanceof String)) {
                    throw bad("Value for '" + c.field() + "' must be a double-quoted string.");
                }
            }
        }
        return out;
    }

    /** True when every condition holds; {@code field} gives the resource's value (String or Instant). */
    static boolean matches(List<Condition> conditions, Function<String, Object> field) {
        for (Condition c : conditions) {
            Object actual = field.apply(c.field());
            boolean ok = switch (c.op()) {
                case "equals" -> actual != null && actual.equals(c.values().get(0));
                case "any" -> actual != null && c.values().contains(actual);
                case "greater-than" -> compare(actual, c) > 0;
                case "greater-or-equal" -> compare(actual, c) >= 0;
                case "less-than" -> compare(actual, c) < 0 && actual != null;
                case "less-or-equal" -> compare(actual, c) <= 0 && actual != null;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static int compare(Object actual, Condition c) {
        if (!(actual instanceof Instant a)) {
            return Integer.MIN_VALUE;
        }
        return a.compareTo(parseTime(((Raw) c.values().get(0)).text()));
    }

    static Instant parseTime(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDate.parse(s).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private void expressions(List<Condition> out) {
        expression(out);
        while (peek() == ',') {
            pos++;
            expression(out);
        }
    }

    private void expression(List<Condition> out) {
        String op = word();
        expect('(');
        if (op.equals("and")) {
            expressions(out);
            expect(')');
            return;
        }
        if (!OPERATORS.contains(op)) {
            throw malformed("unknown operator '" + op + "'");
        }
        String field = word();
        expect(',');
        List<Object> values = new ArrayList<>();
        if (op.equals("any")) {
            expect('[');
            values.add(value());
            while (peek() == ',') {
                pos++;
                values.add(value());
            }
            expect(']');
        } else {
            values.add(value());
        }
        expect(')');
        out.add(new Condition(op, field, List.copyOf(values)));
    }

    private Object value() {
        if (peek() == '"') {
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw malformed("unterminated string");
                }
                char c = text.charAt(pos++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\') {
                    if (pos >= text.length()) {
                        throw malformed("unterminated escape");
                    }
                    char e = text.charAt(pos++);
                    if (e != '"' && e != '\\') {
                        throw malformed("invalid escape '\\" + e + "'");
                    }
                    sb.append(e);
                } else {
                    sb.append(c);
                }
            }
        }
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || ":.+-_".indexOf(text.charAt(pos)) >= 0)) {
            pos++;
        }
        if (start == pos) {
            throw malformed("expected a value at position " + start);
        }
        return new Raw(text.substring(start, pos));
    }

    private String word() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_' || text.charAt(pos) == '-')) {
            pos++;
        }
        if (start == pos) {
            throw malformed("expected a name at position " + start);
        }
        return text.substring(start, pos);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw malformed("expected '" + c + "' at position " + pos);
        }
        pos++;
    }

    private int peek() {
        return pos < text.length() ? text.charAt(pos) : -1;
    }

    private StandInException malformed(String why) {
        return bad("Invalid filter provided: " + why + ".");
    }

    private static StandInException bad(String detail) {
        return JsonApiErrors.invalidParameter("filter", detail);
    }
}
