/**
 * Everything the pipeline relies on that Kafka does not publish as API, fenced in one package: each class says
 * which assumption it makes, a canary test checks it against the Kafka on the class path, and
 * {@code docs/upgrading.md} lists them for the next Kafka upgrade.
 *
 * <ul>
 *   <li>{@link io.exportcounter.pipeline.kafkainternals.CommitHookStore}: Kafka Streams flushes every store that
 *       implements its internal {@code CachedStateStore} before each commit (canary: {@code CommitHookStoreIT}).</li>
 *   <li>{@link io.exportcounter.pipeline.kafkainternals.InputLag}: each stream thread's main consumer comes from the
 *       client supplier with the client id {@code <thread name>-consumer} (canary: {@code InputLagCanaryIT}).</li>
 *   <li>{@link io.exportcounter.pipeline.kafkainternals.StreamsStoreLayout}: where Kafka Streams keeps a RocksDB
 *       store and the options it opens one with (canary: {@code StreamsStoreLayoutCanaryTest}).</li>
 *   <li>{@link io.exportcounter.pipeline.kafkainternals.HalfCreatedStores}: the files RocksDB writes in a store's
 *       folder, and that Kafka Streams restores a task whose folder is gone (canary:
 *       {@code StreamsStoreLayoutCanaryTest}, {@code HalfCreatedStoresTest}).</li>
 * </ul>
 */
package io.exportcounter.pipeline.kafkainternals;
