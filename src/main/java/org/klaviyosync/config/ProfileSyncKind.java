package org.klaviyosync.config;

import static org.klaviyosync.config.SyncValidator.problem;
import static org.klaviyosync.config.SyncValidator.trimmed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The profile sync ({@code routes/klaviyo-profile-sync.yaml}): each row upserts one profile
 * through Klaviyo's bulk import jobs, joining its lists.
 */
final class ProfileSyncKind implements SyncKind {

    @Override
    public String templateId() {
        return "klaviyo-profile-sync";
    }

    @Override
    public List<SyncParameter> parameters() {
        return Arrays.asList(SyncParameter.values());
    }

    @Override
    public String noun() {
        return "profile";
    }

    @Override
    public String klaviyoRequest() {
        return "POST /api/profile-bulk-import-jobs";
    }

    @Override
    public int rowsPerRequest() {
        return 10_000;
    }

    @Override
    public List<String> scopes() {
        return List.of("profiles:read", "profiles:write", "lists:read", "lists:write");
    }

    @Override
    public SyncDefinition define(SyncValidator.Common common, SyncFileReader.SyncFile file, List<String> problems) {
        Map<String, String> p = file.parameters();
        Identifier identifier = SyncValidator.identifier(file, SyncParameter.IDENTIFIER, problems);
        String identifierColumn = trimmed(p.get(SyncParameter.IDENTIFIER_COLUMN.key()));

        PropertyMappings properties = null;
        String propertiesText = trimmed(p.get(SyncParameter.PROPERTIES.key()));
        if (propertiesText != null) {
            List<String> mappingProblems = new ArrayList<>();
            properties = PropertyMappings.parse(propertiesText, mappingProblems);
            for (String mp : mappingProblems) {
                problems.add(problem(file, SyncParameter.PROPERTIES, mp
                        + "; write '*' or comma-separated klaviyoField=column pairs such as 'first_name=given_name,tier=tier'"));
            }
            for (Map.Entry<String, String> mapping : properties.fieldToColumn().entrySet()) {
                SyncValidator.checkField(file, mapping.getKey(), mapping.getValue(), identifier, identifierColumn, problems);
            }
        }

        String listColumn = trimmed(p.get(SyncParameter.LIST_COLUMN.key()));
        List<String> lists = new ArrayList<>();
        String listsText = p.get(SyncParameter.LISTS.key());
        if (listsText != null) {
            for (String l : listsText.split(",")) {
                if (!l.trim().isEmpty()) {
                    lists.add(l.trim());
                }
            }
        }
        if (listColumn == null && lists.isEmpty()) {
            problems.add(file.file() + ": neither 'listColumn' nor 'lists' is set; every profile must join a list, so"
                    + " set lists (e.g. 'Warehouse Sync') and/or listColumn (a column holding a JSON array of list names or ids)");
        }

        boolean createLists = true;
        String createListsText = trimmed(p.get(SyncParameter.CREATE_LISTS.key()));
        if (createListsText != null) {
            switch (createListsText.toLowerCase(Locale.ROOT)) {
                case "true" -> createLists = true;
                case "false" -> createLists = false;
                default -> problems.add(problem(file, SyncParameter.CREATE_LISTS, "'" + createListsText
                        + "' is not true or false"));
            }
        }

        NullHandling nulls = NullHandling.SKIP;
        String nullsText = trimmed(p.get(SyncParameter.NULLS.key()));
        if (nullsText != null) {
            nulls = NullHandling.named(nullsText).orElse(null);
            if (nulls == null) {
                problems.add(problem(file, SyncParameter.NULLS, "'" + nullsText + "' is not skip or clear; use skip"
                        + " (the default: a SQL NULL leaves Klaviyo's value alone) or clear (a SQL NULL clears the"
                        + " value in Klaviyo)"));
            }
        }

        String phoneRegion = null;
        if (p.containsKey(SyncParameter.PHONE_REGION.key())) {
            String regionText = trimmed(p.get(SyncParameter.PHONE_REGION.key()));
            if (regionText == null) {
                problems.add(problem(file, SyncParameter.PHONE_REGION, "is empty; give an ISO 3166 two-letter region"
                        + " code such as US or GB, or remove the parameter to accept E.164 phone numbers only"));
            } else {
                phoneRegion = PhoneRegions.normalize(regionText);
                if (phoneRegion == null) {
                    problems.add(problem(file, SyncParameter.PHONE_REGION, "'" + regionText + "' is not a region"
                            + " with a phone numbering plan; use an ISO 3166-1 alpha-2 code in upper case, such as US,"
                            + " GB, DE or FR (the list: https://www.iso.org/obp/ui/#search/code/, or Wikipedia's"
                            + " 'ISO 3166-1 alpha-2')"));
                }
            }
        }

        ListMode listMode = ListMode.ADD;
        String listModeText = trimmed(p.get(SyncParameter.LIST_MODE.key()));
        if (listModeText != null) {
            listMode = ListMode.named(listModeText).orElse(null);
            if (listMode == null) {
                problems.add(problem(file, SyncParameter.LIST_MODE, "'" + listModeText + "' is not add or mirror; use"
                        + " add (the default: profiles are only added to lists) or mirror (the sync also removes the"
                        + " memberships it added when a row no longer names the list)"));
            }
        }
        int maxRemovalPercent = SyncDefinition.DEFAULT_MAX_REMOVAL_PERCENT;
        String percentText = trimmed(p.get(SyncParameter.MAX_REMOVAL_PERCENT.key()));
        if (percentText != null) {
            try {
                maxRemovalPercent = Integer.parseInt(percentText);
            } catch (NumberFormatException e) {
                maxRemovalPercent = -1;
            }
            if (maxRemovalPercent < 0 || maxRemovalPercent > 100) {
                problems.add(problem(file, SyncParameter.MAX_REMOVAL_PERCENT, "'" + percentText + "' is not a"
                        + " whole number from 0 to 100; give the largest share (in percent, default 20) of the"
                        + " memberships the sync manages in a list that one run may remove"));
            }
        }

        ConsentFields consent = consent(common.syncId(), file, identifier, properties, lists, problems);

        if (!problems.isEmpty()) {
            return null;
        }
        return new SyncDefinition(common.syncId(), file.file(), common.model(), common.modelSql(), common.schedule(),
                identifier, identifierColumn, properties, listColumn, lists, createLists, nulls, phoneRegion, listMode,
                maxRemovalPercent, this, null, consent);
    }

    /**
     * {@code emailConsent}, {@code smsConsent}, {@code consentList} and {@code consentedAtColumn}: null when
     * no channel is set. Klaviyo subscribes a profile through a list, and finds it by the channel's address.
     */
    private static ConsentFields consent(String syncId, SyncFileReader.SyncFile file, Identifier identifier,
            PropertyMappings properties, List<String> lists, List<String> problems) {
        Map<String, String> p = file.parameters();
        String email = column(syncId, file, SyncParameter.EMAIL_CONSENT, problems);
        String sms = column(syncId, file, SyncParameter.SMS_CONSENT, problems);
        String list = column(syncId, file, SyncParameter.CONSENT_LIST, problems);
        String consentedAt = column(syncId, file, SyncParameter.CONSENTED_AT_COLUMN, problems);
        if (email == null && sms == null) {
            for (SyncParameter only : List.of(SyncParameter.CONSENT_LIST, SyncParameter.CONSENTED_AT_COLUMN)) {
                if (trimmed(p.get(only.key())) != null) {
                    problems.add(problem(file, only, "of sync '" + syncId + "' is set, but neither emailConsent nor"
                            + " smsConsent is: name the column of email and/or SMS marketing consent, or remove it"));
                }
            }
            return null;
        }
        SyncParameter channel = email != null ? SyncParameter.EMAIL_CONSENT : SyncParameter.SMS_CONSENT;
        if (list == null) {
            if (lists.size() == 1) {
                list = lists.get(0);
            } else {
                problems.add(problem(file, channel, "of sync '" + syncId + "' needs a list to subscribe through"
                        + " (Klaviyo subscribes a profile to marketing through a list), and the sync has "
                        + (lists.isEmpty() ? "no static list" : lists.size() + " static lists") + ": set consentList"
                        + " to the list's name or id (e.g. consentList: Newsletter)"
                        + (lists.isEmpty() ? ", or give the sync exactly one list in 'lists'" : "")));
            }
        }
        boolean syncAll = properties != null && properties.syncAll();
        if (email != null && identifier != Identifier.EMAIL && !syncAll && properties != null
                && !properties.fieldToColumn().containsKey("email")) {
            problems.add(problem(file, SyncParameter.EMAIL_CONSENT, "of sync '" + syncId + "' needs the profile's"
                    + " email (Klaviyo subscribes an email address): map it in properties (email=<column>) or use"
                    + " identifier email"));
        }
        if (sms != null && identifier != Identifier.PHONE_NUMBER && !syncAll && properties != null
                && !properties.fieldToColumn().containsKey("phone_number")) {
            problems.add(problem(file, SyncParameter.SMS_CONSENT, "of sync '" + syncId + "' needs the profile's"
                    + " phone number (Klaviyo subscribes a phone number to SMS): map it in properties"
                    + " (phone_number=<column>) or use identifier phone_number"));
        }
        return new ConsentFields(email, sms, list, consentedAt);
    }

    /** A consent parameter's value; a parameter given empty is a problem. */
    private static String column(String syncId, SyncFileReader.SyncFile file, SyncParameter parameter,
            List<String> problems) {
        if (!file.parameters().containsKey(parameter.key())) {
            return null;
        }
        String value = trimmed(file.parameters().get(parameter.key()));
        if (value == null) {
            problems.add(problem(file, parameter, "of sync '" + syncId + "' is empty; give a value or remove it"));
        }
        return value;
    }

}
