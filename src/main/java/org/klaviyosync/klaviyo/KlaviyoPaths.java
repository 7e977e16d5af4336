package org.klaviyosync.klaviyo;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * Every Klaviyo path and query this package sends. Query keys and values are percent-encoded
 * (RFC 3986 style: space as {@code %20}, brackets of {@code page[size]} as {@code %5B%5D}).
 */
public final class KlaviyoPaths {

    public static final String LISTS = "/api/lists";
    public static final String PROFILES = "/api/profiles";
    public static final String PROFILE_IMPORT = "/api/profile-import";
    public static final String BULK_IMPORT_JOBS = "/api/profile-bulk-import-jobs";
    public static final String EVENT_BULK_CREATE_JOBS = "/api/event-bulk-create-jobs";
    public static final String SUBSCRIPTION_BULK_CREATE_JOBS = "/api/profile-subscription-bulk-create-jobs";
    public static final String SUBSCRIPTION_BULK_DELETE_JOBS = "/api/profile-subscription-bulk-delete-jobs";

    /** Klaviyo's largest page for {@code GET /api/lists}. */
    public static final int LIST_PAGE_SIZE = 10;
    /** Klaviyo's largest page for job listings and import errors. */
    public static final int JOB_PAGE_SIZE = 100;

    private KlaviyoPaths() {
    }

    public static String list(String listId) {
        return LISTS + "/" + segment(listId);
    }

    /** {@code GET /api/lists?filter=equals(name,"...")&page[size]=10}. */
    public static String listsNamed(String name) {
        return LISTS + query("filter", nameFilter(name), "page[size]", Integer.toString(LIST_PAGE_SIZE));
    }

    /** The unencoded filter expression {@code equals(name,"...")} with {@code "} and {@code \} escaped. */
    public static String nameFilter(String name) {
        String escaped = name.replace("\\", "\\\\").replace("\"", "\\\"");
        return "equals(name,\"" + escaped + "\")";
    }

    public static String listsPage(int pageSize) {
        return LISTS + query("page[size]", Integer.toString(pageSize));
    }

    public static String profilesPage(int pageSize) {
        return PROFILES + query("page[size]", Integer.toString(pageSize));
    }

    /** {@code /api/lists/{id}/relationships/profiles}: a list's memberships, removed with DELETE. */
    public static String listMembershipRelationships(String listId) {
        return list(listId) + "/relationships/profiles";
    }

    /**
     * {@code GET /api/profiles?filter=any(<attribute>,["a","b"])&fields[profile]=<attribute>&page[size]=<n>}:
     * the profiles whose {@code attribute} is one of {@code values}, with only that attribute.
     */
    public static String profilesWithAny(String attribute, Collection<String> values, int pageSize) {
        StringBuilder filter = new StringBuilder("any(").append(attribute).append(",[");
        boolean first = true;
        for (String v : values) {
            filter.append(first ? "" : ",").append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
            first = false;
        }
        filter.append("])");
        return PROFILES + query("filter", filter.toString(), "fields[profile]", attribute,
                "page[size]", Integer.toString(pageSize));
    }

    public static String bulkImportJob(String jobId) {
        return BULK_IMPORT_JOBS + "/" + segment(jobId);
    }

    /**
     * The newest jobs first, {@value #JOB_PAGE_SIZE} a page, only the attributes a job's outcome needs,
     * filtered on status by {@code statusFilter} ({@code equals(status,"complete")} or
     * {@code any(status,["queued","processing"])}; null lists every job).
     */
    public static String bulkImportJobsListing(String statusFilter) {
        String fieldsSortAndSize = "sort=-created_at&" + encode("fields[profile-bulk-import-job]") + "="
                + encode("status,created_at,total_count,completed_count,failed_count") + "&" + encode("page[size]")
                + "=" + JOB_PAGE_SIZE;
        return BULK_IMPORT_JOBS + (statusFilter == null ? "?" : query("filter", statusFilter) + "&") + fieldsSortAndSize;
    }

    public static String importErrors(String jobId, int pageSize) {
        return bulkImportJob(jobId) + "/import-errors" + query("page[size]", Integer.toString(pageSize));
    }

    /**
     * Turns a {@code links.next} URL ({@code https://a.klaviyo.com/api/...?page%5Bcursor%5D=...}) into
     * the path and query to hand to the transport. The query is kept exactly as Klaviyo encoded it;
     * a fragment is dropped. Relative links starting with {@code /} are returned as they are.
     *
     * @throws IllegalArgumentException when the link does not point below {@code /api/}
     */
    public static String relativize(String link) {
        if (link == null || link.isBlank()) {
            throw new IllegalArgumentException("empty link");
        }
        String s = link.strip();
        int hash = s.indexOf('#');
        if (hash >= 0) {
            s = s.substring(0, hash);
        }
        if (!s.startsWith("/")) {
            int scheme = s.indexOf("://");
            int slash = scheme < 0 ? -1 : s.indexOf('/', scheme + 3);
            if (slash < 0) {
                throw new IllegalArgumentException("not a Klaviyo API link: " + link);
            }
            s = s.substring(slash);
        }
        if (!s.startsWith("/api/")) {
            throw new IllegalArgumentException("not a Klaviyo API link: " + link);
        }
        return s;
    }

    /** The path of a path-and-query, for logs and metrics. */
    public static String pathOf(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }

    /** Percent-encodes a query key or value (space as {@code %20}, never {@code +}). */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String query(String... keysAndValues) {
        if (keysAndValues.length == 0 || keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs");
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            sb.append(i == 0 ? '?' : '&').append(encode(keysAndValues[i])).append('=')
                    .append(encode(keysAndValues[i + 1]));
        }
        return sb.toString();
    }

    private static String segment(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("empty id");
        }
        return encode(value);
    }
}
