package io.exportcounter.testsupport;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link NetworkNamespace} for the tests of one class: created before the first, removed after the last; the class is
 * skipped, saying why, where this machine does not allow namespaces. Register it before a {@link KafkaPerClass} whose
 * brokers listen on its host address, so the address exists when they start:
 *
 * <pre>{@code
 * @RegisterExtension @Order(1) static final NetworkNamespacePerClass partition = new NetworkNamespacePerClass("ec-part", 7);
 * @RegisterExtension @Order(2) static final KafkaPerClass kafka = KafkaPerClass.cluster(3, b -> b.host(partition.hostAddress()));
 * }</pre>
 */
public final class NetworkNamespacePerClass implements BeforeAllCallback, AfterAllCallback {
    private final String name;
    private final int subnet;
    private NetworkNamespace namespace;

    /** See {@link NetworkNamespace#create(String, int)}. */
    public NetworkNamespacePerClass(String name, int subnet) {
        this.name = name;
        this.subnet = subnet;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Assumptions.assumeTrue(NetworkNamespace.available(),
                () -> "Skipped: no network namespace on this machine (" + NetworkNamespace.unavailableReason() + ")");
        namespace = NetworkNamespace.create(name, subnet);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (namespace != null) {
            namespace.close();
            namespace = null;
        }
    }

    /** This machine's end of the veth pair, {@code 10.77.<subnet>.1}; known before the namespace exists. */
    public String hostAddress() {
        return NetworkNamespace.hostAddress(subnet);
    }

    /** The namespace; only while the class's tests run. */
    public NetworkNamespace namespace() {
        if (namespace == null) {
            throw new IllegalStateException("no network namespace outside the tests of the class that registers this extension");
        }
        return namespace;
    }
}
