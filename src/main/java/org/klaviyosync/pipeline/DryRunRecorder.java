package org.klaviyosync.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.klaviyosync.klaviyo.BulkImportBody;
import org.klaviyosync.klaviyo.BulkProfile;
import org.klaviyosync.klaviyo.ConsentBodies;
import org.klaviyosync.klaviyo.ConsentChange;
import org.klaviyosync.klaviyo.KlaviyoPaths;
import org.klaviyosync.klaviyo.ProfileSubscriptions;
import org.klaviyosync.run.ProfileBatch;
import org.klaviyosync.run.SyncRun;

/**
 * Stands in for the HTTP call when no KLAVIYO_API_KEY is set: writes the bulk import request each
 * batch would have been (its list relationship included), the profile-import request that
 * would clear a row's nulls and the consent requests of its rows ({@code emailConsent},
 * {@code smsConsent}), to a JSON-lines file and defers the rows, since nothing was sent.
 */
public final class DryRunRecorder implements Processor {

    private final ObjectMapper json;
    private final Path directory;

    public DryRunRecorder(ObjectMapper json, Path directory) {
        this.json = json;
        this.directory = directory;
    }

    public Path fileFor(SyncRun run) {
        return directory.resolve(run.syncId() + "-run-" + run.runId() + ".jsonl");
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        SyncRun run = exchange.getProperty(ExchangeKeys.RUN, SyncRun.class);
        ProfileBatch batch = exchange.getMessage().getBody(ProfileBatch.class);
        Files.createDirectories(directory);
        ObjectNode line = json.createObjectNode();
        line.put("sync", run.syncId());
        line.put("list", batch.list());
        line.put("profiles", batch.size());
        line.put("endpoint", "POST /api/profile-bulk-import-jobs");
        // the body as it would be sent, list relationship included (a dry run has no key to look
        // names up with, so a list name stands where its id would be)
        line.set("request", BulkImportBody.tree(json, batch.profiles(), batch.list()));
        // the submitters run batches side by side: one batch's lines at a time in the file
        synchronized (this) {
            write(run, batch, line);
        }
        run.partsWouldSend(batch.rowKeys());
    }

    /**
     * Writes one removal request a mirror sync would send to one list: the identifiers (up to a
     * call's worth) whose profiles leave it (their Klaviyo profile ids are looked up only when it
     * runs for real).
     */
    public synchronized void recordRemovals(SyncRun run, String listId, List<String> identifierKeys)
            throws IOException {
        ObjectNode line = json.createObjectNode();
        line.put("sync", run.syncId());
        line.put("list", listId);
        line.put("memberships", identifierKeys.size());
        line.put("endpoint", "DELETE /api/lists/" + listId + "/relationships/profiles");
        line.put("identifier", run.sync().identifier().attribute());
        ArrayNode remove = line.putArray("remove");
        identifierKeys.forEach(remove::add);
        appendLine(run, line);
    }

    /** Appends one line to the run's dry-run file, whole: batches are written from several threads. */
    public synchronized void appendLine(SyncRun run, ObjectNode line) throws IOException {
        Files.createDirectories(directory);
        try (Writer w = Files.newBufferedWriter(fileFor(run), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            w.write(json.writeValueAsString(line));
            w.write('\n');
        }
    }

    private void write(SyncRun run, ProfileBatch batch, ObjectNode line) throws IOException {
        try (Writer w = Files.newBufferedWriter(fileFor(run), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            w.write(json.writeValueAsString(line));
            w.write('\n');
            for (BulkProfile p : batch.profiles()) {
                ObjectNode clear = run.nullClears().take(p.rowKey());
                if (clear != null) {
                    ObjectNode clearLine = json.createObjectNode();
                    clearLine.put("sync", run.syncId());
                    clearLine.put("endpoint", "POST /api/profile-import");
                    clearLine.put("clearsNullsOf", p.rowKey());
                    clearLine.set("request", json.createObjectNode().set("data", clear));
                    w.write(json.writeValueAsString(clearLine));
                    w.write('\n');
                }
            }
            writeConsent(run, batch, w);
        }
    }

    /** The consent requests the batch's rows would make once imported, through the consent list. */
    private void writeConsent(SyncRun run, ProfileBatch batch, Writer w) throws IOException {
        List<ConsentChange> now = new ArrayList<>();
        List<ConsentChange> historical = new ArrayList<>();
        List<ConsentChange> leaving = new ArrayList<>();
        for (BulkProfile p : batch.profiles()) {
            ConsentChange c = run.consentChanges().take(p.rowKey());
            if (c != null && c.subscribes()) {
                (c.consentedAt() != null ? historical : now).add(c);
            }
            if (c != null && c.unsubscribes()) {
                leaving.add(c);
            }
        }
        String list = now.isEmpty() && historical.isEmpty() && leaving.isEmpty() ? null : run.sync().consent().list();
        for (List<ConsentChange> chunk : chunks(now, ProfileSubscriptions.MAX_SUBSCRIBE)) {
            writeConsentLine(run, w, "POST " + KlaviyoPaths.SUBSCRIPTION_BULK_CREATE_JOBS, chunk.size(),
                    ConsentBodies.subscribe(json, chunk, list, false));
        }
        for (List<ConsentChange> chunk : chunks(historical, ProfileSubscriptions.MAX_SUBSCRIBE)) {
            writeConsentLine(run, w, "POST " + KlaviyoPaths.SUBSCRIPTION_BULK_CREATE_JOBS, chunk.size(),
                    ConsentBodies.subscribe(json, chunk, list, true));
        }
        for (List<ConsentChange> chunk : chunks(leaving, ProfileSubscriptions.MAX_UNSUBSCRIBE)) {
            writeConsentLine(run, w, "POST " + KlaviyoPaths.SUBSCRIPTION_BULK_DELETE_JOBS, chunk.size(),
                    ConsentBodies.unsubscribe(json, chunk, list));
        }
    }

    private void writeConsentLine(SyncRun run, Writer w, String endpoint, int profiles, ObjectNode request)
            throws IOException {
        ObjectNode line = json.createObjectNode();
        line.put("sync", run.syncId());
        line.put("list", run.sync().consent().list());
        line.put("profiles", profiles);
        line.put("endpoint", endpoint);
        line.set("request", request);
        w.write(json.writeValueAsString(line));
        w.write('\n');
    }

    private static List<List<ConsentChange>> chunks(List<ConsentChange> all, int size) {
        List<List<ConsentChange>> out = new ArrayList<>();
        for (int from = 0; from < all.size(); from += size) {
            out.add(all.subList(from, Math.min(all.size(), from + size)));
        }
        return out;
    }
}
