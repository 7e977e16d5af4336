package org.klaviyosync.config;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One sync, as declared by a {@code templatedRoute} in a file under {@code routes/}.
 *
 * @param syncId           the sync's name and route id
 * @param sourceFile       the YAML file that declares it
 * @param model            SQL text, or {@code file:<path>} as written by the user
 * @param modelSql         the SQL to run (the file's content when {@code model} names one)
 * @param schedule         Quartz cron expression; empty when the sync runs only on demand
 * @param identifier       what profiles are matched on
 * @param identifierColumn the model column holding the identifier
 * @param properties       {@link PropertyMappings#syncAll()} or the specific field mappings
 * @param listColumn       column holding a JSON array of list names or ids; may be null
 * @param lists            list names or ids every row is added to; may be empty
 * @param createLists      whether a list name that does not exist in Klaviyo is created
 * @param nulls            what a SQL NULL does: leave Klaviyo's value alone, or clear it
 * @param phoneRegion      ISO 3166 region (e.g. {@code US}) whose national phone formats are
 *                         normalised to E.164; null when only E.164 is accepted
 * @param listMode         whether the sync only adds profiles to lists or mirrors its memberships
 * @param maxRemovalPercent mirror only: the share of a list's managed memberships one run may remove
 * @param kind             the kind of sync (its route template)
 * @param event            an event sync's event columns; null for other kinds
 * @param consent          a profile sync's consent columns and list; null when it changes no consent
 */
public record SyncDefinition(
        String syncId,
        Path sourceFile,
        String model,
        String modelSql,
        Optional<String> schedule,
        Identifier identifier,
        String identifierColumn,
        PropertyMappings properties,
        String listColumn,
        List<String> lists,
        boolean createLists,
        NullHandling nulls,
        String phoneRegion,
        ListMode listMode,
        int maxRemovalPercent,
        SyncKind kind,
        EventFields event,
        ConsentFields consent) {

    /** The default {@code maxRemovalPercent}. */
    public static final int DEFAULT_MAX_REMOVAL_PERCENT = 20;

    public SyncDefinition {
        lists = List.copyOf(lists);
        nulls = nulls == null ? NullHandling.SKIP : nulls;
        listMode = listMode == null ? ListMode.ADD : listMode;
        kind = kind == null ? SyncKinds.PROFILE : kind;
    }

    /** A sync that changes no consent. */
    public SyncDefinition(String syncId, Path sourceFile, String model, String modelSql, Optional<String> schedule,
            Identifier identifier, String identifierColumn, PropertyMappings properties, String listColumn,
            List<String> lists, boolean createLists, NullHandling nulls, String phoneRegion, ListMode listMode,
            int maxRemovalPercent, SyncKind kind, EventFields event) {
        this(syncId, sourceFile, model, modelSql, schedule, identifier, identifierColumn, properties, listColumn,
                lists, createLists, nulls, phoneRegion, listMode, maxRemovalPercent, kind, event, null);
    }

    /** A copy that changes consent as {@code consent} says (null: none). */
    public SyncDefinition withConsent(ConsentFields consent) {
        return new SyncDefinition(syncId, sourceFile, model, modelSql, schedule, identifier, identifierColumn,
                properties, listColumn, lists, createLists, nulls, phoneRegion, listMode, maxRemovalPercent,
                kind, event, consent);
    }

    /** A profile sync that only adds to lists ({@code listMode=add}). */
    public SyncDefinition(String syncId, Path sourceFile, String model, String modelSql, Optional<String> schedule,
            Identifier identifier, String identifierColumn, PropertyMappings properties, String listColumn,
            List<String> lists, boolean createLists, NullHandling nulls, String phoneRegion) {
        this(syncId, sourceFile, model, modelSql, schedule, identifier, identifierColumn, properties, listColumn,
                lists, createLists, nulls, phoneRegion, ListMode.ADD, DEFAULT_MAX_REMOVAL_PERCENT,
                SyncKinds.PROFILE, null);
    }

    /** A copy with another list mode and removal guard. */
    public SyncDefinition withListMode(ListMode listMode, int maxRemovalPercent) {
        return new SyncDefinition(syncId, sourceFile, model, modelSql, schedule, identifier, identifierColumn,
                properties, listColumn, lists, createLists, nulls, phoneRegion, listMode, maxRemovalPercent,
                kind, event, consent);
    }

    /** A sync with the defaults of the later parameters: {@code nulls=skip}, no {@code phoneRegion}. */
    public SyncDefinition(String syncId, Path sourceFile, String model, String modelSql, Optional<String> schedule,
            Identifier identifier, String identifierColumn, PropertyMappings properties, String listColumn,
            List<String> lists, boolean createLists) {
        this(syncId, sourceFile, model, modelSql, schedule, identifier, identifierColumn, properties, listColumn,
                lists, createLists, NullHandling.SKIP, null);
    }

    /** A copy with other null handling and phone region. */
    public SyncDefinition withValues(NullHandling nulls, String phoneRegion) {
        return new SyncDefinition(syncId, sourceFile, model, modelSql, schedule, identifier, identifierColumn,
                properties, listColumn, lists, createLists, nulls, phoneRegion, listMode, maxRemovalPercent,
                kind, event, consent);
    }

    /** The column whose value keys a row in the run and the fingerprint store: the event id or the identifier. */
    public String rowKeyColumn() {
        return event != null ? event.eventIdColumn() : identifierColumn;
    }

    public Optional<String> listColumnOptional() {
        return Optional.ofNullable(listColumn);
    }

    /** The API key scopes this sync's requests need: its kind's, and subscriptions:write when it changes consent. */
    public Set<String> scopes() {
        Set<String> scopes = new TreeSet<>(kind.scopes());
        if (consent != null) {
            scopes.add("subscriptions:write");
        }
        return scopes;
    }

    /** The API key scopes these syncs need together. */
    public static Set<String> scopesOf(Collection<SyncDefinition> syncs) {
        Set<String> scopes = new TreeSet<>();
        syncs.forEach(s -> scopes.addAll(s.scopes()));
        return scopes;
    }
}
