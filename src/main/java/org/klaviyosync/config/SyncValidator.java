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

    /** The parameters every kind of sync has, checked: its name, model and schedule. */
    public record Common(String syncId, String model, String modelSql, Optional<String> schedule) {
    }

    private SyncDefinition validateOne(SyncFileReader.SyncFile file, List<String> problems) {
        Optional<SyncKind> found = SyncKinds.byTemplate(file.templateRef());
        if (found.isEmpty()) {
            problems.add(file.file() + ": routeTemplateRef is '" + file.templateRef() + "'; set it to one of "
                    + SyncKinds.templateIds());
            return null;
        }
        SyncKind kind = found.get();
        Map<String, String> p = file.parameters();
        List<String> names = kind.parameters().stream().map(ParameterDeclaration::key).toList();
        for (String name : p.keySet()) {
            if (!names.contains(name)) {
                problems.add(file.file() + ": unknown parameter '" + name + "'; the parameters of "
                        + kind.templateId() + " are " + String.join(", ", names));
            }
        }
        for (ParameterDeclaration sp : kind.parameters()) {
            if (sp.required() && isBlank(p.get(sp.key()))) {
                problems.add(problem(file, sp, "is required; " + sp.requiredHint()));
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
        return kind.define(new Common(syncId, model, modelSql, schedule), file, problems);
    }

    /** The identifier parameter's value, or null (with a problem when it is set but unknown). */
    static Identifier identifier(SyncFileReader.SyncFile file, ParameterDeclaration parameter, List<String> problems) {
        String identifierText = trimmed(file.parameters().get(parameter.key()));
        if (identifierText == null) {
            return null;
        }
        Identifier identifier = Identifier.fromAttribute(identifierText.toLowerCase(Locale.ROOT)).orElse(null);
        if (identifier == null) {
            problems.add(problem(file, parameter, "'" + identifierText
                    + "' is not a Klaviyo identifier; use external_id (recommended), email or phone_number"));
        }
        return identifier;
    }

    static void checkField(SyncFileReader.SyncFile file, String field, String column, Identifier identifier,
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

    static String problem(SyncFileReader.SyncFile file, ParameterDeclaration parameter, String text) {
        return file.file() + ": parameter '" + parameter.key() + "' " + text;
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    static String trimmed(String s) {
        return isBlank(s) ? null : s.trim();
    }
}
