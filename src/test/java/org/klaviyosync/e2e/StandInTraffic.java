package org.klaviyosync.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.klaviyosync.standin.KlaviyoStandIn;
import org.klaviyosync.standin.RecordedRequest;

/** What the sync sent to the stand-in since a mark: write calls and the profiles in bulk jobs. */
final class StandInTraffic {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KlaviyoStandIn klaviyo;
    private final int from;

    private StandInTraffic(KlaviyoStandIn klaviyo, int from) {
        this.klaviyo = klaviyo;
        this.from = from;
    }

    static StandInTraffic mark(KlaviyoStandIn klaviyo) {
        return new StandInTraffic(klaviyo, klaviyo.requests().size());
    }

    List<RecordedRequest> since() {
        List<RecordedRequest> all = klaviyo.requests();
        return all.subList(from, all.size());
    }

    /** Requests to Klaviyo's write endpoints (anything but GET). */
    long writeCalls() {
        return since().stream().filter(r -> !r.method().equals("GET")).count();
    }

    /** The external ids of every profile sent in a bulk import job or a profile import. */
    List<String> profilesSent() throws Exception {
        List<String> ids = new ArrayList<>();
        for (RecordedRequest r : since()) {
            if (!r.method().equals("POST") || r.responseStatus() >= 300 || r.responseStatus() < 200) {
                continue;
            }
            if (r.path().startsWith("/api/profile-bulk-import-jobs")) {
                for (JsonNode p : JSON.readTree(r.body()).at("/data/attributes/profiles/data")) {
                    ids.add(p.at("/attributes/external_id").asText());
                }
            } else if (r.path().startsWith("/api/profile-import")) {
                ids.add(JSON.readTree(r.body()).at("/data/attributes/external_id").asText());
            }
        }
        return ids;
    }
}
