/**
 * A strict stand-in for the Klaviyo REST API, for tests. Start it with
 * {@link org.klaviyosync.standin.KlaviyoStandIn#start()}, point the client at
 * {@link org.klaviyosync.standin.KlaviyoStandIn#baseUrl()} with
 * {@link org.klaviyosync.standin.KlaviyoStandIn#apiKey()}, and inspect what arrived.
 *
 * <p>It follows {@code klaviyo-api.md}. Where that contract leaves a choice open, the stand-in
 * takes the stricter side:
 * <ul>
 *   <li><b>Body too large:</b> 413 {@code request_too_large} when the whole body exceeds the
 *       endpoint's limit (100 KB for profile-import and list creation, 5 MB for bulk import jobs and
 *       list membership). A single bulk profile above 100 KB (its compact JSON) is a 400 with the
 *       pointer {@code /data/attributes/profiles/data/<index>}, like any other bad profile.</li>
 *   <li><b>Unknown profile ids</b> in {@code POST /api/lists/{id}/relationships/profiles}: 404
 *       {@code not_found}, one error per unknown id (pointer {@code /data/<i>/id}), and nobody is
 *       added. An unknown {@code data.id} on profile-import is also 404 (the contract's reported
 *       behaviour); in a bulk job it becomes an import error with code {@code not_found}.</li>
 *   <li><b>Daily list cap</b> (150 per UTC day, {@code setListCreateDailyCap}): the contract lists
 *       it as a rate limit, so a creation above the cap is 429 {@code throttled} with
 *       {@code Retry-After} = seconds until midnight UTC. Only successful creations count, and the
 *       cap is checked after body validation, so scope probes with an invalid body never hit it.</li>
 *   <li><b>Buckets</b> (names in {@link org.klaviyosync.standin.RateLimiter}): bulk job creation has
 *       its own bucket (10/s, 150/m); polling, listing jobs, import-errors and a job's profiles share
 *       one bucket (10/s, 150/m); profile-import 75/s, 750/m; list writes (create list and add
 *       profiles) share 10/s, 150/m; list reads (lists, one list, membership) 75/s, 750/m, and 1/s,
 *       15/m with {@code additional-fields[list]=profile_count}; profile reads 75/s, 750/m. Windows
 *       are fixed and aligned to the clock; refused requests are not counted; requests are counted
 *       after authentication and before the scope check.</li>
 *   <li>Multiple lists on a bulk job: 400 with pointer {@code /data/relationships/lists/data}.</li>
 *   <li>Unknown query parameters, repeated parameters, unknown body members, unknown attributes and a
 *       body on a GET are 400. Filters allow no whitespace outside strings and only the
 *       {@code \"} and {@code \\} escapes; the query is URL-decoded exactly once.</li>
 *   <li>Cursors are bound to the path, filter and sort they came from; {@code links.next} and
 *       {@code links.prev} are absolute URLs with an encoded {@code page%5Bcursor%5D} parameter and are
 *       absent when there is no such page.</li>
 *   <li>Bulk jobs advance only when looked at: each {@code GET /api/profile-bulk-import-jobs/{id}} and
 *       each listing that shows a job on its page counts as one poll of it, and the poll that reaches
 *       {@code setJobPollsUntilComplete} (default 2) imports the profiles; with
 *       {@code setJobCompletionDelayMillis} a job instead completes on its own that long after
 *       acceptance, in the background, however many looks came before. A poll by id answers with the
 *       job after the poll (queued, processing, complete); a listing answers with the jobs as they
 *       were, filter and sort applied to those statuses, and polls the unfinished ones on its page
 *       before it answers. Bulk upserts ignore nulls and do not apply {@code meta.patch_properties};
 *       profile-import applies it. Emails match case-insensitively.</li>
 *   <li>Listing jobs: {@code filter} on {@code status} only, with {@code equals} or {@code any} over
 *       queued, processing and complete; {@code sort} {@code created_at} or {@code -created_at} (oldest
 *       first without it); {@code page[size]} 1 to 100 (default 20); {@code fields[profile-bulk-import-job]}
 *       names attributes to keep. Its cursors are keyset cursors (after or before a job), so a job that
 *       changes status between two page requests does not move others across pages.</li>
 *   <li>Errors not about one member or parameter carry {@code "source":{"pointer":"/data/"}}; a bad or
 *       missing {@code revision} carries {@code "source":{"parameter":"revision","header":"revision"}}.</li>
 * </ul>
 */
package org.klaviyosync.standin;
