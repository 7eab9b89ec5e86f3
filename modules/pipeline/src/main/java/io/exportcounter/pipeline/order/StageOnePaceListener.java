package io.exportcounter.pipeline.order;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global store of what stage 2 says about stage-1 pace, and tells this instance's {@link StageOneLeads}.
 * Runs on the global stream thread of every instance.
 */
public final class StageOnePaceListener implements Processor<byte[], byte[], Void, Void> {
    private static final Logger log = LoggerFactory.getLogger(StageOnePaceListener.class);
    public static final String STORE = "stage-one-pace";

    private final StageOneLeads leads;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<byte[], byte[]> store;

    public StageOnePaceListener(StageOneLeads leads) {
        this.leads = leads;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        StageOnePace pace;
        try {
            pace = StageOnePace.decode(record.value());
        } catch (IllegalArgumentException e) {
            // Only stage 2 writes this topic; anything else there is ignored, not a reason to stop.
            log.warn("Ignoring a record of the stage-1 pace topic: {}", e.getMessage());
            return;
        }
        store.put(record.key(), record.value());
        leads.paced(pace, context.currentSystemTimeMs());
    }
}
