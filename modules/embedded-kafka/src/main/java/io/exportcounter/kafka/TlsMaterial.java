package io.exportcounter.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away certificate authority and the keystores it signs, for tests and local clusters: made with the JDK's own
 * {@code keytool} (no extra library), PKCS12 files with one random password.
 *
 * <pre>{@code
 * TlsMaterial tls = TlsMaterial.generate(dir);                // CA + truststore.p12
 * Path broker = tls.keystore("kafka-broker");                 // CN=kafka-broker, SAN localhost, 127.0.0.1
 * }</pre>
 *
 * <p>Every certificate it signs names {@code localhost} and {@code 127.0.0.1}, so clients that verify host names (Kafka's
 * default, {@code ssl.endpoint.identification.algorithm=https}; Java's HttpClient) accept it. Valid for a few days.
 */
public final class TlsMaterial {
    /** The PKCS12 type of every store made here. */
    public static final String STORE_TYPE = "PKCS12";
    private static final String CA_ALIAS = "export-counter-test-ca";
    private static final String VALIDITY_DAYS = "7";

    private final Path dir;
    private final String password;

    private TlsMaterial(Path dir, String password) {
        this.dir = dir;
        this.password = password;
    }

    /**
     * Makes a new CA in {@code dir} (created if missing): {@code ca.p12} (its key), {@code ca.pem} and
     * {@code truststore.p12} (its certificate alone, what clients trust).
     */
    public static TlsMaterial generate(Path dir) {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        TlsMaterial tls;
        try {
            tls = new TlsMaterial(Files.createDirectories(dir.toAbsolutePath()), HexFormat.of().formatHex(random));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        tls.keytool("-genkeypair", "-alias", CA_ALIAS, "-dname", "CN=Export Counter test CA", "-keyalg", "RSA",
                "-keysize", "2048", "-validity", VALIDITY_DAYS, "-ext", "bc:c", "-keystore", tls.caStore().toString());
        tls.keytool("-exportcert", "-rfc", "-alias", CA_ALIAS, "-keystore", tls.caStore().toString(),
                "-file", tls.caCertificate().toString());
        tls.keytool("-importcert", "-noprompt", "-alias", CA_ALIAS, "-file", tls.caCertificate().toString(),
                "-keystore", tls.truststore().toString());
        return tls;
    }

    /** The material {@link #generate} made earlier in {@code dir}, with its password. */
    public static TlsMaterial existing(Path dir, String password) {
        TlsMaterial tls = new TlsMaterial(dir.toAbsolutePath(), password);
        if (!Files.exists(tls.truststore()) || !Files.exists(tls.caStore())) {
            throw new IllegalArgumentException("no CA in " + dir + " (expected ca.p12 and truststore.p12)");
        }
        return tls;
    }

    /**
     * A keystore {@code <name>.p12} holding a key and its certificate {@code CN=<name>} signed by this CA, with the
     * subject alternative names localhost and 127.0.0.1 (and the CA certificate, as the chain). Made once; later calls
     * return the same file.
     */
    public synchronized Path keystore(String name) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("keystore name must be letters, digits, '.', '_' or '-': " + name);
        }
        Path store = dir.resolve(name + ".p12");
        if (Files.exists(store)) {
            return store;
        }
        Path request = dir.resolve(name + ".csr");
        Path signed = dir.resolve(name + ".pem");
        Path building = dir.resolve(name + ".p12.tmp");
        keytool("-genkeypair", "-alias", name, "-dname", "CN=" + name, "-keyalg", "RSA", "-keysize", "2048",
                "-validity", VALIDITY_DAYS, "-keystore", building.toString());
        keytool("-certreq", "-alias", name, "-keystore", building.toString(), "-file", request.toString());
        keytool("-gencert", "-rfc", "-alias", CA_ALIAS, "-keystore", caStore().toString(), "-infile", request.toString(),
                "-outfile", signed.toString(), "-validity", VALIDITY_DAYS, "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-ext", "KU=digitalSignature,keyEncipherment", "-ext", "EKU=serverAuth,clientAuth");
        keytool("-importcert", "-noprompt", "-alias", CA_ALIAS, "-file", caCertificate().toString(), "-keystore", building.toString());
        keytool("-importcert", "-noprompt", "-alias", name, "-file", signed.toString(), "-keystore", building.toString());
        try {
            Files.move(building, store);
            Files.deleteIfExists(request);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + store, e);
        }
        return store;
    }

    /** The password of every store (and key) made here. */
    public String password() {
        return password;
    }

    /** What clients trust: the CA certificate alone, PKCS12. */
    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    /** The CA certificate, PEM. */
    public Path caCertificate() {
        return dir.resolve("ca.pem");
    }

    /** An SSL context trusting this CA only (for HTTP clients in tests). */
    public SSLContext clientContext() {
        try (InputStream in = Files.newInputStream(truststore())) {
            KeyStore trusted = KeyStore.getInstance(STORE_TYPE);
            trusted.load(in, password.toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load " + truststore() + ": " + e.getMessage(), e);
        }
    }

    private Path caStore() {
        return dir.resolve("ca.p12");
    }

    private void keytool(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", STORE_TYPE, "-storepass", password));
        try {
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed (exit code " + process.exitValue() + "): "
                        + output.replace(password, "***"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool (" + cmd.get(0) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
