package io.exportcounter.pipeline.rates;

import io.exportcounter.contract.ContractJson;
import io.exportcounter.contract.ExchangeRate;
import io.exportcounter.contract.InvalidRecordException;
import io.exportcounter.pipeline.routing.RejectionEmitter;
import io.exportcounter.pipeline.routing.Routed;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Stage 0: validates the customs rate feed and re-keys each rate by currency and week.
 *
 * <p>The feed topic is compacted by currency, so it keeps only the latest week of each currency;
 * amendments of older declarations still need older weeks. Re-keyed, on a topic compacted by
 * {@code CUR|validFrom}, every week survives compaction, a second record for the same week replaces
 * the first, and the global store can be rebuilt from that topic after any restart.
 */
public final class RateValidator implements Processor<byte[], byte[], byte[], Routed> {
    private final ContractJson json = ContractJson.instance();
    private final String sourceTopic;
    private ProcessorContext<byte[], Routed> context;
    private RejectionEmitter rejections;

    public RateValidator(String sourceTopic) {
        this.sourceTopic = sourceTopic;
    }

    @Override
    public void init(ProcessorContext<byte[], Routed> context) {
        this.context = context;
        this.rejections = new RejectionEmitter(context, sourceTopic);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        ExchangeRate rate;
        try {
            rate = json.parseExchangeRate(record.value());
            if (rate.validFrom().toEpochSecond() < 0) {
                throw new InvalidRecordException("validFrom", "must not be before 1970");
            }
        } catch (InvalidRecordException e) {
            rejections.reject(record, e);
            return;
        }
        String key = RateKeys.key(rate.currency(), rate.validFrom().toInstant());
        context.forward(record.withKey(key.getBytes(StandardCharsets.UTF_8))
                .withValue(Routed.of(Routed.Route.RATE, json.write(rate))));
    }
}
