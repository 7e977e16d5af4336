package org.klaviyosync.pipeline;

import java.util.List;
import java.util.Map;
import org.klaviyosync.config.Identifier;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.mapping.MappedRow;
import org.klaviyosync.mapping.PhoneNumber;
import org.klaviyosync.mapping.RowProblem;
import org.klaviyosync.warehouse.DuplicateIdentifierQuery;
import org.klaviyosync.warehouse.IdentifierKey;

/**
 * Decides, from the helper columns of {@link DuplicateIdentifierQuery}, whether a mapped row is
 * the only one of the model with its identifier as Klaviyo matches it. Every row of a group of
 * several is invalid, whatever their order; so is a row whose key the warehouse computed
 * differently from the one it would be sent with (e.g. a phone number with an extension), since
 * a duplicate of it could then go unnoticed.
 */
final class DuplicateIdentifiers {

    /** The helper columns of one row, taken out of it before mapping. */
    record Helpers(Object rows, boolean hasKey, Object key, Object firstSpelling, Object lastSpelling) {

        static Helpers takeFrom(Map<String, Object> row) {
            boolean hasKey = row.containsKey(DuplicateIdentifierQuery.KEY_COLUMN);
            row.remove(DuplicateIdentifierQuery.PHONE_CHARACTERS);
            return new Helpers(row.remove(DuplicateIdentifierQuery.COLUMN), hasKey,
                    row.remove(DuplicateIdentifierQuery.KEY_COLUMN), row.remove(DuplicateIdentifierQuery.FIRST_SPELLING),
                    row.remove(DuplicateIdentifierQuery.LAST_SPELLING));
        }
    }

    private DuplicateIdentifiers() {
    }

    /** How the warehouse computes the key of the sync's identifier, as the mapper normalises it. */
    static IdentifierKey keyOf(SyncDefinition sync) {
        if (sync.event() != null) {
            return IdentifierKey.exact(); // the event id, compared as it is
        }
        if (sync.identifier() == Identifier.EMAIL) {
            return IdentifierKey.email();
        }
        if (sync.identifier() == Identifier.PHONE_NUMBER) {
            String region = sync.phoneRegion();
            return region == null ? IdentifierKey.phone(null, null)
                    : IdentifierKey.phone(PhoneNumber.countryCode(region), PhoneNumber.nationalPrefix(region));
        }
        return IdentifierKey.exact();
    }

    /** The row as mapped, or invalid when it shares its key or its key could not be checked. */
    static MappedRow check(SyncDefinition sync, Helpers helpers, MappedRow mapped) {
        String key = mapped.identifierValue();
        if (key == null) {
            return mapped;
        }
        if (helpers.rows() instanceof Number n && n.longValue() > 1) {
            return invalid(sync, key, "duplicate identifier '" + key + "': " + n.longValue() + " rows of the model have"
                    + " this " + sync.identifier().attribute() + " as Klaviyo matches it (" + spellings(helpers, n.longValue())
                    + "), so none of them is sent");
        }
        if (mapped.valid() && helpers.hasKey()) {
            String expected = sync.identifier() == Identifier.PHONE_NUMBER && key.startsWith("+") ? key.substring(1) : key;
            if (!expected.equals(String.valueOf(helpers.key()))) {
                return invalid(sync, key, "the identifier is sent as '" + key + "' but the warehouse's duplicate check"
                        + " reads it as '" + helpers.key() + "', so a duplicate of it could go unnoticed; write it as"
                        + " it is sent" + (sync.identifier() == Identifier.PHONE_NUMBER
                        ? " (phone numbers in E.164, without an extension)" : ""));
            }
        }
        return mapped;
    }

    private static String spellings(Helpers helpers, long rows) {
        Object first = helpers.firstSpelling();
        Object last = helpers.lastSpelling();
        if (first == null || last == null) {
            return "spelled alike";
        }
        if (first.equals(last)) {
            return "each spelled '" + first + "'";
        }
        return (rows == 2 ? "spelled '" : "spellings include '") + first + "' and '" + last + "'";
    }

    private static MappedRow invalid(SyncDefinition sync, String key, String reason) {
        return new MappedRow(key, null, List.of(), 0L, 0, new RowProblem(sync.identifierColumn(), reason));
    }
}
