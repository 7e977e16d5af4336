/**
 * Klaviyo's REST protocol (revision 2026-07-15) on top of {@link org.klaviyosync.klaviyo.KlaviyoTransport}:
 * the only place that knows Klaviyo's URL shapes, JSON:API bodies and error shapes.
 * <ul>
 *   <li>{@link org.klaviyosync.klaviyo.KlaviyoApi}: retries, backoff, {@code Retry-After}, auth errors, counters.</li>
 *   <li>{@link org.klaviyosync.klaviyo.ListDirectory}: list ids and names to ids, creating lists within
 *       {@link org.klaviyosync.klaviyo.ListCreationBudget}.</li>
 *   <li>{@link org.klaviyosync.klaviyo.BulkImportSubmissions} (bodies from {@link org.klaviyosync.klaviyo.BulkImportBody},
 *       refusals read by {@link org.klaviyosync.klaviyo.BulkRefusal}), {@link org.klaviyosync.klaviyo.BulkJobReader}:
 *       bulk import jobs, submitted and read.</li>
 *   <li>{@link org.klaviyosync.klaviyo.BulkJobWatch}: job states learned from job listings, many jobs a call.</li>
 *   <li>{@link org.klaviyosync.klaviyo.ProfileImports}: writing one profile;
 *       {@link org.klaviyosync.klaviyo.EventBulkCreateJobs}: creating events;
 *       {@link org.klaviyosync.klaviyo.ListMembershipRemovals} and {@link org.klaviyosync.klaviyo.ProfileIdLookup}:
 *       removing memberships (listMode=mirror);
 *       {@link org.klaviyosync.klaviyo.ProfileSubscriptions} (bodies from {@link org.klaviyosync.klaviyo.ConsentBodies}):
 *       subscribing and unsubscribing profiles (emailConsent, smsConsent).</li>
 *   <li>{@link org.klaviyosync.klaviyo.KeyCheck}: whether the API key works and has the needed scopes.</li>
 *   <li>{@link org.klaviyosync.klaviyo.KlaviyoPaths} and {@link org.klaviyosync.klaviyo.ApiErrors}: paths,
 *       queries and error bodies.</li>
 * </ul>
 */
package org.klaviyosync.klaviyo;
