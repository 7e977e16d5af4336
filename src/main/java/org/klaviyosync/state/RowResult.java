package org.klaviyosync.state;

/**
 * A row that did not simply go through: invalid, rejected or deferred, with why.
 *
 * @param identifierValue the row's identifier (may be null when the identifier itself was missing)
 * @param outcome         invalid, rejected or deferred
 * @param field           the column or Klaviyo field concerned, if known
 * @param code            Klaviyo's error code for rejections (e.g. duplicate_profile), else null
 * @param reason          a sentence a user can act on
 * @param detail          Klaviyo's own error detail for rejections, verbatim; else null
 */
public record RowResult(String identifierValue, RowOutcome outcome, String field, String code, String reason,
        String detail) {

    public RowResult(String identifierValue, RowOutcome outcome, String field, String code, String reason) {
        this(identifierValue, outcome, field, code, reason, null);
    }
}
