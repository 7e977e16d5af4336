package org.klaviyosync.mapping;

import java.util.Map;

/**
 * Turns one model row of a sync into its entry of a Klaviyo request, with a verdict: what each
 * kind of sync supplies ({@link PayloadMappers}). Never throws on bad data; thread-safe.
 */
public interface PayloadMapper {

    MappedRow map(Map<String, Object> row);
}
