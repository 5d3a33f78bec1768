package dev.hybrid.cli.openstack.auth;

import dev.hybrid.cli.config.CloudConfig;
import dev.hybrid.cli.config.ConfigFileException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** The TLS trust a cloud asks for: the system CAs, its {@code cacert} bundle, or none at all with {@code verify: false}. */
final class TlsContexts {
    private TlsContexts() {
    }

    static SSLContext forCloud(CloudConfig cloud) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            if (!cloud.verify()) {
                context.init(null, new TrustManager[] {new TrustEverything()}, null);
            } else if (cloud.cacert() != null) {
                context.init(null, trustManagersFor(cloud), null);
            } else {
                return SSLContext.getDefault();
            }
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigFileException("cannot set up TLS for cloud '" + cloud.name() + "': " + e.getMessage());
        }
    }

    private static TrustManager[] trustManagersFor(CloudConfig cloud) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(cloud.cacert())) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigFileException("cacert " + cloud.cacert() + " of cloud '" + cloud.name() + "' is not a PEM certificate bundle: " + e.getMessage());
        }
        if (certificates.isEmpty()) {
            throw new ConfigFileException("cacert " + cloud.cacert() + " of cloud '" + cloud.name() + "' holds no certificate");
        }
        int index = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("ca-" + index++, certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    /**
     * For {@code verify: false}. Being an extended trust manager also switches off the host name check,
     * which the JDK otherwise performs inside the trust manager.
     */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
