package org.klaviyosync.settings;

/** How the pipeline reads and maps a model's rows. */
public final class PipelineSettings {

    public static final Setting<Integer> CHUNK_ROWS = Setting.wholeNumber("pipeline.chunk-rows", 1000).atLeast(1)
            .describedAs("Model rows per chunk: the unit the pipeline routes; a chunk is mapped on"
                    + " `PIPELINE_MAPPING_THREADS` threads and its rows then routed in order.");

    public static final Setting<Integer> MAPPING_THREADS = Setting.wholeNumber("pipeline.mapping-threads", null)
            .defaultComputed(() -> Runtime.getRuntime().availableProcessors(), "one per core")
            .atLeast(1)
            .describedAs("Threads mapping a chunk's rows to Klaviyo profiles.");

    private PipelineSettings() {
    }
}
