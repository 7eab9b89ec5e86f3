package io.exportcounter.pipeline.state;

import java.util.NoSuchElementException;
import java.util.function.Consumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.rocksdb.RocksIterator;

/** A RocksDB iterator over an inclusive key range, in either direction; tells its store when it closes. */
final class RocksRangeIterator implements KeyValueIterator<Bytes, byte[]> {
    private final RocksIterator it;
    private final Bytes from;
    private final Bytes to;
    private final boolean forward;
    private final Consumer<RocksRangeIterator> onClose;
    private boolean closed;

    RocksRangeIterator(RocksIterator it, Bytes from, Bytes to, boolean forward, Consumer<RocksRangeIterator> onClose) {
        this.onClose = onClose;
        this.it = it;
        this.from = from;
        this.to = to;
        this.forward = forward;
        if (it == null) {
            closed = true;
        } else if (forward) {
            if (from == null) {
                it.seekToFirst();
            } else {
                it.seek(from.get());
            }
        } else if (to == null) {
            it.seekToLast();
        } else {
            it.seekForPrev(to.get());
        }
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            return false;
        }
        if (!it.isValid()) {
            return false;
        }
        Bytes key = Bytes.wrap(it.key());
        return forward ? to == null || key.compareTo(to) <= 0 : from == null || key.compareTo(from) >= 0;
    }

    @Override
    public KeyValue<Bytes, byte[]> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        KeyValue<Bytes, byte[]> kv = KeyValue.pair(Bytes.wrap(it.key()), it.value());
        if (forward) {
            it.next();
        } else {
            it.prev();
        }
        return kv;
    }

    @Override
    public Bytes peekNextKey() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return Bytes.wrap(it.key());
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            it.close();
            onClose.accept(this);
        }
    }
}
