package org.klaviyosync.config;

import java.util.Optional;

/**
 * One parameter of a kind of sync, as its route template declares it: a parameter without a
 * default is required; an optional one without a default is declared there with an empty default.
 * SyncTemplateParametersTest holds each kind's declaration equal to its template's.
 */
public interface ParameterDeclaration {

    /** The parameter's name in a sync file. */
    String key();

    boolean required();

    /** The default the template applies; empty when there is none (required, or left out). */
    Optional<String> defaultValue();

    /** What to write when a required parameter is missing. */
    String requiredHint();
}
