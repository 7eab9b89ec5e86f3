package io.exportcounter.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 1, unit = TimeUnit.MINUTES)
class NetworkNamespaceTest {

    @Test
    void refuses_names_that_make_no_interface_name_and_subnets_outside_one_octet() {
        assertThatThrownBy(() -> NetworkNamespace.create("much-too-long-name", 1)).hasMessageContaining("1 to 12");
        assertThatThrownBy(() -> NetworkNamespace.create("Upper", 1)).hasMessageContaining("a-z");
        assertThatThrownBy(() -> NetworkNamespace.create("ok", 256)).hasMessageContaining("between 0 and 255");
        assertThat(NetworkNamespace.hostAddress(17)).isEqualTo("10.77.17.1");
    }

    @Test
    void removes_what_a_crashed_run_left_under_the_same_name_and_everything_it_made_on_close() throws Exception {
        assumeTrue(NetworkNamespace.available(), () -> "Skipped: " + NetworkNamespace.unavailableReason());
        // Given a namespace and pair of the same name that a crashed run left, a process still inside
        String name = "ec-nstest";
        run("ip", "netns", "add", name);
        run("ip", "link", "add", name + "-h", "type", "veth", "peer", "name", name + "-n", "netns", name);
        Process leftover = new ProcessBuilder("ip", "netns", "exec", name, "sleep", "300").start();
        assertThat(leftover.isAlive()).isTrue();

        // When it is created again
        try (NetworkNamespace ns = NetworkNamespace.create(name, 18)) {
            // Then the leftover process is gone, and the new namespace and pair are there
            assertThat(leftover.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(run("ip", "-o", "-4", "addr", "show", "dev", ns.hostInterface())).contains("10.77.18.1/24");
            assertThat(run("ip", "-n", name, "-o", "-4", "addr", "show", "dev", ns.namespaceInterface())).contains("10.77.18.2/24");
            assertThat(run("ip", "-n", name, "link", "show", "lo")).contains("UP");
            // and cut and heal point the namespace's neighbour entry for this machine away and back
            String real = run("ip", "-n", name, "neigh", "show", ns.hostAddress());
            ns.cut();
            assertThat(run("ip", "-n", name, "neigh", "show", ns.hostAddress())).isNotEqualTo(real).contains("PERMANENT");
            ns.heal();
            assertThat(run("ip", "-n", name, "neigh", "show", ns.hostAddress())).isEqualTo(real);
        }

        // When closed, nothing of it is left
        assertThat(Files.exists(Path.of("/run/netns", name))).isFalse();
        assertThat(new ProcessBuilder("ip", "link", "show", "dev", name + "-h").start().waitFor()).isNotZero();
        assertThat(run("ip", "-o", "-4", "addr", "show", "to", "10.77.18.1/32")).isBlank();
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }
}
