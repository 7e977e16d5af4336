package org.klaviyosync.app;

import org.apache.camel.main.Main;

/**
 * The beans the route template of one kind of sync refers to by name ({@code ref:}), bound before
 * Camel starts and closed after it stops. A new kind of sync brings its own implementation and is
 * listed in {@link SyncApplication}'s {@code syncKinds}; the beans every kind shares are
 * {@link PipelineBeans}.
 */
interface SyncKindBeans extends AutoCloseable {

    void bind(Main main);

    /** Stops the kind's own threads, once Camel has stopped. */
    @Override
    void close();
}
