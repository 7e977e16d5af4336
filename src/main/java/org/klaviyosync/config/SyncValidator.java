package org.klaviyosync.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.klaviyosync.mapping.ProfileField;
import org.quartz.CronExpression;

/**
 * Turns sync files into {@link SyncDefinition}s, collecting every problem (file, parameter, fix)
 * instead of stopping at the first, so one start-up shows the user all there is to fix.
 */
public final class SyncValidator {

    private static final String ROUTE_ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]*";

    private final Path projectRoot;

    public SyncValidator(Path projectRoot) {
        this.projectRoot = projectRoot;
    }

    public record Result(List<SyncDefinition> syncs, List<String> problems) {
    }

    public Result validate(List<SyncFileReader.SyncFile> files) {
        List<SyncDefinition> syncs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Path> seenIds = new HashMap<>();
        for (SyncFileReader.SyncFile file : files) {
            List<String> fileProblems = new ArrayList<>();
            SyncDefinition def = validateOne(file, fileProblems);
            if (def != null) {
                Path earlier = seenIds.putIfAbsent(def.syncId(), file.file());
                if (earlier != null) {
                    fileProblems.add(problem(file, SyncParameter.SYNC_ID, "'" + def.syncId() + "' is already used by "
                            + earlier + "; give every sync its own syncId"));
                }
            }
            if (fileProblems.isEmpty()) {
                syncs.add(def);
            } else {
                problems.addAll(fileProblems);
            }
        }
        return new Result(syncs, problems);
    }

    private SyncDefinition validateOne(SyncFileReader.SyncFile file, List<String> problems) {
        if (!SyncParameter.TEMPLATE_ID.equals(file.templateRef())) {
            problems.add(file.file() + ": routeTemplateRef is '" + file.templateRef() + "'; set it to "
                    + SyncParameter.TEMPLATE_ID);
        }
        Map<String, String> p = file.parameters();
        for (String name : p.keySet()) {
            if (SyncParameter.named(name).isEmpty()) {
                problems.add(file.file() + ": unknown parameter '" + name + "'; the parameters are "
                        + SyncParameter.allNames());
            }
        }
        for (SyncParameter sp : SyncParameter.values()) {
            if (sp.required() && isBlank(p.get(sp.key()))) {
                problems.add(problem(file, sp, "is required; " + requiredHint(sp)));
            }
        }

        String syncId = trimmed(p.get(SyncParameter.SYNC_ID.key()));
        if (syncId != null && !syncId.matches(ROUTE_ID_PATTERN)) {
            problems.add(problem(file, SyncParameter.SYNC_ID, "'" + syncId
                    + "' is not a valid name; use letters, digits, '-', '_' or '.'"));
        }
        if (syncId != null && file.routeId() != null && !file.routeId().equals(syncId)) {
            problems.add(file.file() + ": routeId '" + file.routeId() + "' differs from syncId '" + syncId
                    + "'; the sync's route id is its syncId, so set routeId to '" + syncId + "' or remove it");
        }

        String model = trimmed(p.get(SyncParameter.MODEL.key()));
        String modelSql = model == null ? null : resolveModel(file, model, problems);

        Optional<String> schedule = Optional.empty();
        if (p.containsKey(SyncParameter.SCHEDULE.key())) {
            String cron = trimmed(p.get(SyncParameter.SCHEDULE.key()));
            if (cron == null) {
                problems.add(problem(file, SyncParameter.SCHEDULE, "is empty; give a Quartz cron such as '0 0 * * * ?'"
                        + " or remove the parameter to run the sync on demand only"));
            } else {
                try {
                    new CronExpression(cron);
                    schedule = Optional.of(cron);
                } catch (ParseException e) {
                    problems.add(problem(file, SyncParameter.SCHEDULE, "'" + cron + "' is not a Quartz cron expression ("
                            + e.getMessage() + "); Quartz crons have 6 or 7 fields: seconds minutes hours day-of-month"
                            + " month day-of-week [year], e.g. '0 */15 * * * ?' for every 15 minutes"));
                }
            }
        }

        Identifier identifier = null;
        String identifierText = trimmed(p.get(SyncParameter.IDENTIFIER.key()));
        if (identifierText != null) {
            identifier = Identifier.fromAttribute(identifierText.toLowerCase(Locale.ROOT)).orElse(null);
            if (identifier == null) {
                problems.add(problem(file, SyncParameter.IDENTIFIER, "'" + identifierText
                        + "' is not a Klaviyo identifier; use external_id (recommended), email or phone_number"));
            }
        }
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
                checkField(file, mapping.getKey(), mapping.getValue(), identifier, identifierColumn, problems);
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

        if (!problems.isEmpty()) {
            return null;
        }
        return new SyncDefinition(syncId, file.file(), model, modelSql, schedule, identifier, identifierColumn,
                properties, listColumn, lists, createLists, nulls, phoneRegion, listMode, maxRemovalPercent);
    }

    private void checkField(SyncFileReader.SyncFile file, String field, String column, Identifier identifier,
            String identifierColumn, List<String> problems) {
        Optional<ProfileField> standard = ProfileField.named(field);
        if (standard.isEmpty() && field.contains(".")) {
            problems.add(problem(file, SyncParameter.PROPERTIES, "unknown field '" + field
                    + "'; the location fields are location.address1, location.address2, location.city, location.region,"
                    + " location.country, location.zip and location.timezone (custom property names have no dot)"));
        } else if (standard.isEmpty() && field.isBlank()) {
            problems.add(problem(file, SyncParameter.PROPERTIES, "a property name is empty; Klaviyo refuses"
                    + " empty names, so name the property"));
        } else if (standard.isEmpty() && field.startsWith("$")) {
            problems.add(problem(file, SyncParameter.PROPERTIES, "property name '" + field
                    + "' starts with '$', which Klaviyo reserves; rename it"));
        } else if (identifier != null && field.equals(identifier.attribute())
                && (identifierColumn == null || !column.equalsIgnoreCase(identifierColumn))) {
            // naming the identifier column again is redundant and harmless; another column would contradict it
            problems.add(problem(file, SyncParameter.PROPERTIES, "field '" + field + "' is the sync's identifier,"
                    + " which comes from identifierColumn '" + identifierColumn + "', not from column '" + column
                    + "'; remove '" + field + "=" + column + "' from properties"));
        }
    }

    private String resolveModel(SyncFileReader.SyncFile file, String model, List<String> problems) {
        if (!model.startsWith("file:")) {
            return model;
        }
        Path path = projectRoot.resolve(model.substring("file:".length()).trim()).normalize();
        if (!Files.isRegularFile(path)) {
            problems.add(problem(file, SyncParameter.MODEL, "names " + path
                    + ", which does not exist; the path is relative to the project root (" + projectRoot.toAbsolutePath()
                    + ")"));
            return null;
        }
        try {
            String sql = Files.readString(path, StandardCharsets.UTF_8).trim();
            if (sql.isEmpty()) {
                problems.add(problem(file, SyncParameter.MODEL, "names " + path + ", which is empty; write the model's"
                        + " SELECT in it"));
                return null;
            }
            return sql;
        } catch (IOException e) {
            problems.add(problem(file, SyncParameter.MODEL, "cannot read " + path + ": " + e.getMessage()));
            return null;
        }
    }

    private static String requiredHint(SyncParameter sp) {
        return switch (sp) {
            case SYNC_ID -> "name the sync, e.g. 'vip-customers'";
            case MODEL -> "give the model's SQL, or file:models/<name>.sql";
            case IDENTIFIER -> "use external_id (recommended), email or phone_number";
            case IDENTIFIER_COLUMN -> "name the model column that holds the identifier";
            case PROPERTIES -> "write '*' to sync all columns or klaviyoField=column pairs";
            default -> "set it";
        };
    }

    static String problem(SyncFileReader.SyncFile file, SyncParameter parameter, String text) {
        return file.file() + ": parameter '" + parameter.key() + "' " + text;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String trimmed(String s) {
        return isBlank(s) ? null : s.trim();
    }
}
