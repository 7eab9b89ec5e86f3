package io.exportcounter.serving;

import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.config.PipelineConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * HTTPS for the serving API, from {@code serving.tls.keystore.path}, {@code .password} and {@code .type}: the port of
 * {@code http.port} then speaks TLS only (a plain HTTP request gets no answer), and the instance reaches the other
 * instances of its application over HTTPS too, trusting the CA certificates of its own keystore's chain (every instance
 * gets its certificate from the same CA). Certificates must name the host the others reach it by
 * ({@code http.advertised-host}).
 *
 * <p>Everything is checked when the configuration is read: a missing file, a wrong password or a keystore without a
 * key stops the start, naming the key, never the password.
 */
public final class ServingTls {
    private final KeyStore keyStore;
    private final String password;
    private final SSLContext peerContext;

    private ServingTls(KeyStore keyStore, String password, SSLContext peerContext) {
        this.keyStore = keyStore;
        this.password = password;
        this.peerContext = peerContext;
    }

    /**
     * The HTTPS settings of {@code config}, loaded and checked; empty when {@code serving.tls.keystore.path} is empty.
     *
     * @throws PipelineConfigException naming the key when the keystore cannot be used
     */
    public static Optional<ServingTls> from(PipelineConfig config) {
        Path path = config.servingTlsKeystore();
        if (path == null) {
            return Optional.empty();
        }
        String password = config.servingTlsKeystorePassword().reveal();
        KeyStore store;
        try (InputStream in = Files.newInputStream(path)) {
            store = KeyStore.getInstance(config.servingTlsKeystoreType());
            store.load(in, password.toCharArray());
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new PipelineConfigException(PipelineConfig.SERVING_TLS_KEYSTORE_PASSWORD,
                        "does not open the keystore " + path + " (wrong password?)");
            }
            throw new PipelineConfigException(PipelineConfig.SERVING_TLS_KEYSTORE_PATH, "cannot read the keystore " + path
                    + " as " + config.servingTlsKeystoreType() + ": " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new PipelineConfigException(PipelineConfig.SERVING_TLS_KEYSTORE_PATH, "cannot read the keystore " + path
                    + " as " + config.servingTlsKeystoreType() + ": " + e.getMessage());
        }
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            boolean hasKey = false;
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                try {
                    store.getKey(alias, password.toCharArray());
                } catch (UnrecoverableKeyException e) {
                    throw new PipelineConfigException(PipelineConfig.SERVING_TLS_KEYSTORE_PASSWORD, "opens the keystore "
                            + path + " but not its key '" + alias + "' (the key must have the keystore's password)");
                }
                hasKey = true;
                Certificate[] chain = store.getCertificateChain(alias);
                for (int i = 0; chain != null && i < chain.length; i++) {
                    trusted.setCertificateEntry(alias + "-chain-" + i, chain[i]);
                }
            }
            if (!hasKey) {
                throw new PipelineConfigException(PipelineConfig.SERVING_TLS_KEYSTORE_PATH, "the keystore " + path
                        + " holds no private key (it needs the server's key and certificate chain)");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext peers = SSLContext.getInstance("TLS");
            peers.init(null, tmf.getTrustManagers(), null);
            return Optional.of(new ServingTls(store, password, peers));
        } catch (IOException | GeneralSecurityException e) {
            throw new PipelineConfigException(PipelineConfig.SERVING_TLS_KEYSTORE_PATH, "cannot use the keystore " + path
                    + ": " + e.getMessage());
        }
    }

    /** A Jetty connector on {@code port} that speaks HTTPS (TLS 1.2 or 1.3) only. */
    Connector connector(Server server, HttpConfiguration base, int port) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(keyStore);
        ssl.setKeyManagerPassword(password);
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        HttpConfiguration https = new HttpConfiguration(base);
        https.setSecureScheme("https");
        https.setSecurePort(port);
        // Instances are reached by host names their certificates may not list as SNI names (an IP, a service name).
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
        connector.setPort(port);
        return connector;
    }

    /** How an instance calls the others: over HTTPS trusting its keystore's CAs with {@code tls}, else plain HTTP. */
    record Peers(String scheme, HttpClient client) {
        static Peers of(Optional<ServingTls> tls) {
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
            tls.ifPresent(t -> builder.sslContext(t.peerContext));
            return new Peers(tls.isPresent() ? "https" : "http", builder.build());
        }
    }
}
