package org.klaviyosync.run;

import java.util.concurrent.atomic.AtomicLong;
import org.klaviyosync.state.RowOutcome;

/** The counts of one run; {@code read} must always equal the sum of the six outcomes once it ends. */
public final class RunCounts {

    private final AtomicLong read = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong unchanged = new AtomicLong();
    private final AtomicLong invalid = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong deferred = new AtomicLong();
    private final AtomicLong wouldSend = new AtomicLong();
    private final AtomicLong removed = new AtomicLong();

    void countRead(int rows) {
        read.addAndGet(rows);
    }

    /** Rows the warehouse told unchanged without sending them out (counted read as well). */
    void countUnchanged(int rows) {
        unchanged.addAndGet(rows);
    }

    void count(RowOutcome outcome) {
        switch (outcome) {
            case SENT -> sent.incrementAndGet();
            case UNCHANGED -> unchanged.incrementAndGet();
            case INVALID -> invalid.incrementAndGet();
            case REJECTED -> rejected.incrementAndGet();
            case DEFERRED -> deferred.incrementAndGet();
            case WOULD_SEND -> wouldSend.incrementAndGet();
            default -> throw new IllegalArgumentException(outcome.name());
        }
    }

    public long read() {
        return read.get();
    }

    public long sent() {
        return sent.get();
    }

    public long unchanged() {
        return unchanged.get();
    }

    public long invalid() {
        return invalid.get();
    }

    public long rejected() {
        return rejected.get();
    }

    public long deferred() {
        return deferred.get();
    }

    /** Dry run only: rows written to the dry-run file, which a real run would have sent. */
    public long wouldSend() {
        return wouldSend.get();
    }

    /** List memberships removed (mirror mode); not rows, so outside {@link #reconciles()}. */
    public long removed() {
        return removed.get();
    }

    void countRemoved(int memberships) {
        removed.addAndGet(memberships);
    }

    public long settled() {
        return sent() + wouldSend() + unchanged() + invalid() + rejected() + deferred();
    }

    public boolean reconciles() {
        return read() == settled();
    }

    @Override
    public String toString() {
        return "read=" + read() + " sent=" + sent() + " unchanged=" + unchanged() + " invalid=" + invalid()
                + " rejected=" + rejected() + " deferred=" + deferred() + (wouldSend() == 0 ? "" : " wouldSend=" + wouldSend())
                + (removed() == 0 ? "" : " removed=" + removed());
    }
}
