package org.klaviyosync.config;

import java.util.List;

/**
 * A kind of sync: what a new kind adds to the configuration layer. Its route template (a file in
 * {@code routes/}) declares the same parameters as {@link #parameters()}; its mapper (package
 * {@code mapping}) turns a model row into its Klaviyo request entry; its template's beans
 * (package {@code pipeline}) send those entries. The run, state and CLI layers take any kind.
 */
public interface SyncKind {

    /** The route template its sync files instantiate ({@code routeTemplateRef}). */
    String templateId();

    /** Its parameters, in the template's order. */
    List<? extends ParameterDeclaration> parameters();

    /**
     * Checks the kind's own parameters (the common ones, syncId, model and schedule, are checked
     * already) and builds the definition; adds every problem found and returns null if any.
     */
    SyncDefinition define(SyncValidator.Common common, SyncFileReader.SyncFile file, List<String> problems);

    /** What one row becomes in Klaviyo, for recaps: "profile", "event". */
    String noun();

    /** The Klaviyo request its rows travel in, e.g. {@code POST /api/profile-bulk-import-jobs}. */
    String klaviyoRequest();

    /** Klaviyo's limit of rows (profiles, events) per request. */
    int rowsPerRequest();

    /** The API key scopes its requests need. */
    List<String> scopes();
}
