package org.klaviyosync.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.config.SyncFileReader;
import org.klaviyosync.config.SyncValidator;
import org.klaviyosync.settings.ConfigurationException;

/**
 * Reads and validates every sync file, and finds sync files put among the pipeline's routes; all
 * problems at once, or the syncs by id.
 */
final class SyncCatalogLoader {

    private SyncCatalogLoader() {
    }

    static Map<String, SyncDefinition> load(Path projectRoot, Path routesDir, Path syncsDir) {
        SyncFileReader reader = new SyncFileReader();
        SyncFileReader.Result read = reader.read(syncsDir);
        SyncValidator.Result valid = new SyncValidator(projectRoot).validate(read.syncs());
        List<String> problems = new ArrayList<>(reader.misplaced(routesDir, syncsDir));
        problems.addAll(read.problems());
        problems.addAll(valid.problems());
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        Map<String, SyncDefinition> byId = new LinkedHashMap<>();
        for (SyncDefinition s : valid.syncs()) {
            byId.put(s.syncId(), s);
        }
        List<String> clashes = SyncRoutes.clashes(byId);
        if (!clashes.isEmpty()) {
            throw new ConfigurationException(clashes);
        }
        return byId;
    }
}
