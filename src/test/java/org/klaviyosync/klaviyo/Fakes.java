package org.klaviyosync.klaviyo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Test doubles: a clock that moves only when the sleeper sleeps, and the API wired to them. */
final class Fakes {

    static final ObjectMapper JSON = new ObjectMapper();

    static final class ManualClock extends Clock {
        Instant now;

        ManualClock(Instant start) {
            this.now = start;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    /** Records every requested sleep and advances the clock instead of sleeping. */
    static final class RecordingSleeper implements Sleeper {
        final List<Duration> sleeps = new ArrayList<>();
        final ManualClock clock;

        RecordingSleeper(ManualClock clock) {
            this.clock = clock;
        }

        @Override
        public void sleep(Duration duration) {
            sleeps.add(duration);
            clock.advance(duration);
        }
    }

    final ScriptedTransport transport = new ScriptedTransport();
    final ManualClock clock = new ManualClock(Instant.parse("2026-08-01T10:00:00Z"));
    final RecordingSleeper sleeper = new RecordingSleeper(clock);
    final RetryPolicy policy = RetryPolicy.defaults().withSleeper(sleeper).withClock(clock).withRandom(() -> 0.5);
    final KlaviyoApi api;

    Fakes() {
        this.api = new KlaviyoApi(transport, JSON, policy);
    }

    /** The API with this outage breaker; the breaker should use {@link #clock}. */
    Fakes(java.util.function.Function<Clock, OutageBreaker> breaker) {
        this.api = new KlaviyoApi(transport, JSON, policy, breaker.apply(clock));
    }

    static String error(int status, String code, String detail) {
        return "{\"errors\":[{\"id\":\"e1\",\"status\":" + status + ",\"code\":\"" + code
                + "\",\"title\":\"t\",\"detail\":\"" + detail + "\",\"source\":{},\"meta\":{}}]}";
    }
}
