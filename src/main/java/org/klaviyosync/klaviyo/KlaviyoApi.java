package org.klaviyosync.klaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends Klaviyo calls through a {@link KlaviyoTransport} with retries and error classification.
 * <ul>
 *   <li>429: waits {@code Retry-After} seconds (or the backoff when the header is missing), retries.</li>
 *   <li>500, 502, 503, 504, 524 and I/O errors: exponential backoff with jitter, retries.</li>
 *   <li>Attempts are bounded by {@link RetryPolicy#maxAttempts()}; then
 *       {@link KlaviyoUnavailableException}. Other 5xx throw it at once.</li>
 *   <li>401 and 403 throw {@link KlaviyoAuthException}.</li>
 *   <li>Every other status (2xx and the remaining 4xx) is returned to the caller.</li>
 * </ul>
 * A successful answer whose {@code RateLimit-Remaining} is 0 makes the next call of the same bucket
 * wait {@code RateLimit-Reset} seconds first.
 */
public class KlaviyoApi {

    private static final Logger LOG = LoggerFactory.getLogger(KlaviyoApi.class);

    /** Server errors worth retrying (524 is the CDN's origin timeout, which Klaviyo's SDKs retry too). */
    public static final Set<Integer> RETRYABLE_SERVER_ERRORS = Set.of(500, 502, 503, 504, 524);

    /** How many 429 answers one call waits out (each for its Retry-After) before giving up. */
    public static final int MAX_RATE_LIMITED_WAITS = 30;

    private static final Pattern SCOPE = Pattern.compile("\\b([a-z][a-z-]*:(?:read|write|full|manage))\\b");

    private final KlaviyoTransport transport;
    private final ObjectMapper json;
    private final RetryPolicy retry;
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final List<Consumer<KlaviyoCallEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Map<RateLimitBucket, Instant> pausedUntil = new EnumMap<>(RateLimitBucket.class);
    private final OutageBreaker breaker;

    public KlaviyoApi(KlaviyoTransport transport, ObjectMapper json, RetryPolicy retry) {
        this(transport, json, retry, OutageBreaker.disabled());
    }

    public KlaviyoApi(KlaviyoTransport transport, ObjectMapper json, RetryPolicy retry, OutageBreaker breaker) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.json = Objects.requireNonNull(json, "json");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.breaker = Objects.requireNonNull(breaker, "breaker");
    }

    /** Whether calls currently fail fast because Klaviyo looks down. */
    public boolean outage() {
        return breaker.isOpen();
    }

    /** Sends a call that is safe to repeat (reads, upserts, relationship adds): retries everything retryable. */
    public KlaviyoResponse send(KlaviyoRequest request) {
        return exchange(request, Function.identity(), LostAnswer.resendBlindly());
    }

    /**
     * Sends a call that must not be repeated blindly (creating a list). 429 is retried as usual.
     * When the answer is lost (an I/O error or any 5xx), Klaviyo may have processed the request:
     * after the backoff, {@code beforeResend} is asked first. A value ends the call with it (the
     * first request took effect, or it must not be sent again); empty sends the request again, up to
     * {@link RetryPolicy#maxAttempts()} sends in all, after which {@link KlaviyoUnavailableException}
     * with {@code outcomeUnknown() == true} is thrown. An answer is handed to {@code onAnswer}.
     */
    public <T> T sendCheckingBeforeResend(KlaviyoRequest request, Function<KlaviyoResponse, T> onAnswer,
            Supplier<Optional<T>> beforeResend) {
        return exchange(request, onAnswer, new LostAnswer<>(Objects.requireNonNull(beforeResend, "beforeResend")));
    }

    /** Waits with the policy's {@link Sleeper} (e.g. between job polls). */
    public void pause(Duration duration) {
        pause(duration, "pause");
    }

    public RetryPolicy retryPolicy() {
        return retry;
    }

    public ObjectMapper json() {
        return json;
    }

    /** How many retries (of any cause) were made. */
    public long retries() {
        return retries.get();
    }

    /** How many 429 answers came back. */
    public long rateLimited() {
        return rateLimited.get();
    }

    /** Registers a listener called after every attempt, answered or not. */
    public void addListener(Consumer<KlaviyoCallEvent> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * What a call does when its answer is lost (no answer, or a server error): Klaviyo may have
     * processed the request.
     *
     * @param beforeResend null to resend blindly, and then only after the server errors worth
     *                     retrying; otherwise asked before each resend, which then follows any
     *                     server error, since the check and not the status says what took effect
     */
    private record LostAnswer<T>(Supplier<Optional<T>> beforeResend) {

        static <T> LostAnswer<T> resendBlindly() {
            return new LostAnswer<>(null);
        }

        boolean resendsAfter(int status) {
            return beforeResend != null || RETRYABLE_SERVER_ERRORS.contains(status);
        }

        Optional<T> check() {
            return beforeResend == null ? Optional.empty() : beforeResend.get();
        }
    }

    /** How a call ended: Klaviyo's answer, or the value the lost-answer check gave instead. */
    private record Ending<T>(KlaviyoResponse answer, T checked) {
    }

    private <T> T exchange(KlaviyoRequest request, Function<KlaviyoResponse, T> onAnswer, LostAnswer<T> lostAnswer) {
        String endpoint = request.method() + " " + KlaviyoPaths.pathOf(request.pathAndQuery());
        breaker.beforeCall(endpoint);
        Ending<T> ending;
        try {
            ending = attempts(request, endpoint, lostAnswer);
            breaker.answered();
        } catch (KlaviyoAuthException e) {
            breaker.answered();
            throw e;
        } catch (KlaviyoUnavailableException e) {
            if (e.lastStatus() != 429) {
                breaker.failed();
            }
            throw e;
        }
        return ending.answer() != null ? onAnswer.apply(ending.answer()) : ending.checked();
    }

    /** The one retry loop of every call. */
    private <T> Ending<T> attempts(KlaviyoRequest request, String endpoint, LostAnswer<T> lostAnswer) {
        int maxAttempts = retry.maxAttempts();
        // 429s are Klaviyo telling us exactly when to come back: they get their own, larger bound
        int rateLimitedWaits = 0;
        for (int attempt = 1; ; attempt++) {
            awaitBucket(request.bucket());
            long started = System.nanoTime();
            KlaviyoResponse response;
            try {
                response = transport.exchange(request);
            } catch (IOException e) {
                publish(request, KlaviyoCallEvent.NO_ANSWER, attempt, started);
                String what = "no answer (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + ApiErrors.scrub(e.getMessage())) + ")";
                if (attempt >= maxAttempts) {
                    throw unavailable(endpoint, what, KlaviyoCallEvent.NO_ANSWER, attempt, true, e);
                }
                Optional<T> checked = beforeResend(endpoint, what, attempt, lostAnswer);
                if (checked.isPresent()) {
                    return new Ending<>(null, checked.get());
                }
                continue;
            }
            int status = response.status();
            publish(request, status, attempt, started);
            if (status == 429) {
                rateLimited.incrementAndGet();
                rateLimitedWaits++;
                if (rateLimitedWaits >= MAX_RATE_LIMITED_WAITS) {
                    throw unavailable(endpoint, "still rate limited (HTTP 429)", status, attempt, false, null);
                }
                attempt--;
                Optional<Duration> retryAfter = retryAfter(response);
                Duration wait = retryAfter.isPresent() ? retryAfter.get() : retry.backoff(rateLimitedWaits);
                LOG.debug("{}: rate limited, waiting {} ms", endpoint, wait.toMillis());
                retries.incrementAndGet();
                pause(wait, endpoint);
                continue;
            }
            if (status >= 500) {
                String what = ApiErrors.summarize(response, json);
                if (!lostAnswer.resendsAfter(status) || attempt >= maxAttempts) {
                    throw unavailable(endpoint, what, status, attempt, true, null);
                }
                Optional<T> checked = beforeResend(endpoint, what, attempt, lostAnswer);
                if (checked.isPresent()) {
                    return new Ending<>(null, checked.get());
                }
                continue;
            }
            if (status == 401) {
                throw refused(endpoint, response);
            }
            if (status == 403) {
                throw forbidden(endpoint, response);
            }
            noteRateLimitHeaders(request.bucket(), response);
            return new Ending<>(response, null);
        }
    }

    /** Waits the backoff after a lost answer, counts the retry, then asks the call's check, if any. */
    private <T> Optional<T> beforeResend(String endpoint, String what, int attempt, LostAnswer<T> lostAnswer) {
        LOG.debug("{}: {}, retrying (attempt {} of {})", endpoint, what, attempt + 1, retry.maxAttempts());
        retries.incrementAndGet();
        pause(retry.backoff(attempt), endpoint);
        return lostAnswer.check();
    }

    private KlaviyoUnavailableException unavailable(String endpoint, String what, int status, int attempts,
                                                    boolean outcomeUnknown, Throwable cause) {
        String message = "Klaviyo is unavailable: " + endpoint + " failed after " + attempts
                + (attempts == 1 ? " attempt" : " attempts") + ", last " + what;
        return new KlaviyoUnavailableException(message, endpoint, status, attempts, outcomeUnknown, cause);
    }

    private KlaviyoAuthException refused(String endpoint, KlaviyoResponse response) {
        List<ApiError> errors = ApiErrors.parse(response.body(), json);
        String code = errors.isEmpty() || errors.get(0).code() == null ? "not_authenticated" : errors.get(0).code();
        String message = "KLAVIYO_API_KEY was refused by Klaviyo (401 " + code
                + "): check that it is a private key (pk_...) of the right account";
        return new KlaviyoAuthException(message, 401, endpoint, null, errors);
    }

    private KlaviyoAuthException forbidden(String endpoint, KlaviyoResponse response) {
        List<ApiError> errors = ApiErrors.parse(response.body(), json);
        String scope = null;
        String detail = null;
        for (ApiError e : errors) {
            String text = e.detail() != null ? e.detail() : e.title();
            if (text == null) {
                continue;
            }
            if (detail == null) {
                detail = ApiErrors.scrub(text);
            }
            Matcher m = SCOPE.matcher(text);
            if (scope == null && m.find()) {
                scope = m.group(1);
            }
        }
        String code = errors.isEmpty() || errors.get(0).code() == null ? "permission_denied" : errors.get(0).code();
        String klaviyoSaid = "403 " + code + (detail == null ? "" : ": " + detail);
        String message = scope != null
                ? "KLAVIYO_API_KEY lacks the scope " + scope + " (Klaviyo refused " + endpoint + " with " + klaviyoSaid + ")"
                : "KLAVIYO_API_KEY is not allowed to call " + endpoint + " (" + klaviyoSaid
                        + "): give the key the scopes this endpoint needs";
        return new KlaviyoAuthException(message, 403, endpoint, scope, errors);
    }

    private Optional<Duration> retryAfter(KlaviyoResponse response) {
        Optional<String> header = response.header("Retry-After").map(String::trim).filter(s -> !s.isEmpty());
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get();
        try {
            long seconds = Long.parseLong(value);
            return Optional.of(Duration.ofSeconds(Math.max(0, seconds)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(retry.clock().instant(), at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    private void noteRateLimitHeaders(RateLimitBucket bucket, KlaviyoResponse response) {
        if (bucket == null) {
            return;
        }
        Optional<Long> remaining = longHeader(response, "RateLimit-Remaining");
        Optional<Long> reset = longHeader(response, "RateLimit-Reset");
        if (remaining.isPresent() && remaining.get() <= 0 && reset.isPresent() && reset.get() > 0) {
            synchronized (pausedUntil) {
                pausedUntil.put(bucket, retry.clock().instant().plusSeconds(reset.get()));
            }
        }
    }

    private void awaitBucket(RateLimitBucket bucket) {
        if (bucket == null) {
            return;
        }
        Instant until;
        synchronized (pausedUntil) {
            until = pausedUntil.remove(bucket);
        }
        if (until != null) {
            Duration wait = Duration.between(retry.clock().instant(), until);
            if (!wait.isNegative() && !wait.isZero()) {
                LOG.debug("{} window exhausted, waiting {} ms", bucket.headerValue(), wait.toMillis());
                pause(wait, bucket.headerValue());
            }
        }
    }

    private static Optional<Long> longHeader(KlaviyoResponse response, String name) {
        return response.header(name).map(String::trim).flatMap(v -> {
            try {
                return Optional.of(Long.parseLong(v));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private void pause(Duration duration, String what) {
        try {
            retry.sleeper().sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KlaviyoUnavailableException("interrupted while waiting before " + what, what,
                    KlaviyoCallEvent.NO_ANSWER, 0, false, e);
        }
    }

    private void publish(KlaviyoRequest request, int status, int attempt, long startedNanos) {
        if (listeners.isEmpty()) {
            return;
        }
        KlaviyoCallEvent event = new KlaviyoCallEvent(request.bucket(), request.method(),
                KlaviyoPaths.pathOf(request.pathAndQuery()), status, attempt,
                Duration.ofNanos(System.nanoTime() - startedNanos));
        for (Consumer<KlaviyoCallEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("Klaviyo call listener failed", e);
            }
        }
    }

    /** Reads a response body as JSON, or throws {@link KlaviyoRequestException} naming the call. */
    /**
     * Reads a paged collection: GETs {@code firstPage}, hands each element of {@code data} to
     * {@code onItem}, and follows {@code links.next} until there is none. A page that is not a 200
     * throws {@link KlaviyoRequestException} with "{@code failure} failed: ...".
     *
     * @param endpoint how the endpoint is named if an answer is not readable JSON
     */
    void forEachItem(String firstPage, RateLimitBucket bucket, String failure, String endpoint,
            Consumer<JsonNode> onItem) {
        String next = firstPage;
        while (next != null) {
            KlaviyoResponse r = send(KlaviyoRequest.get(next, bucket));
            if (r.status() != 200) {
                throw new KlaviyoRequestException(failure + " failed: " + ApiErrors.summarize(r, json), r.status(),
                        ApiErrors.parse(r.body(), json));
            }
            JsonNode page = readJson(r, endpoint);
            page.path("data").forEach(onItem);
            JsonNode link = page.path("links").path("next");
            next = link.isTextual() && !link.asText().isBlank() ? KlaviyoPaths.relativize(link.asText()) : null;
        }
    }

    JsonNode readJson(KlaviyoResponse response, String what) {
        try {
            JsonNode node = json.readTree(response.body());
            if (node == null || node.isMissingNode()) {
                throw new IOException("empty body");
            }
            return node;
        } catch (IOException e) {
            throw new KlaviyoRequestException("Klaviyo's answer to " + what + " (HTTP " + response.status()
                    + ") is not readable JSON: " + e.getMessage(), response.status(), List.of());
        }
    }
}
