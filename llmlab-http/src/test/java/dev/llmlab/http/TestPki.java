package dev.llmlab.http;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A throw-away certificate authority for TLS tests, made in the test (netty-pkitesting), with server
 * certificates written as PEM files: as a user would give them to {@code --tls-cert}, {@code --tls-key}
 * and {@code --ca-cert}.
 */
public final class TestPki {
    private final Path dir;
    private final X509Bundle ca;

    /** A certificate's PEM chain and key files. */
    public record Pair(Path cert, Path key) {}

    public TestPki(Path dir) {
        this.dir = dir;
        try {
            Instant now = Instant.now();
            ca = new CertificateBuilder()
                    .subject("CN=llmlab test CA")
                    .setIsCertificateAuthority(true)
                    .notBefore(now.minus(1, ChronoUnit.DAYS))
                    .notAfter(now.plus(1, ChronoUnit.DAYS))
                    .ecp256()
                    .buildSelfSigned();
            Files.writeString(dir.resolve("ca.pem"), ca.getCertificatePEM());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CA's certificate, PEM. */
    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    /** A server certificate for 127.0.0.1 and localhost, valid now. */
    public Pair server(String name) {
        Instant now = Instant.now();
        return issue(name, now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.HOURS), "127.0.0.1", "localhost");
    }

    /** A certificate for another host only (a hostname mismatch on 127.0.0.1). */
    public Pair otherHost(String name) {
        Instant now = Instant.now();
        return issue(name, now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.HOURS), null, "example.com");
    }

    /** A certificate for 127.0.0.1 that expired yesterday. */
    public Pair expired(String name) {
        Instant now = Instant.now();
        return issue(name, now.minus(3, ChronoUnit.DAYS), now.minus(1, ChronoUnit.DAYS), "127.0.0.1", "localhost");
    }

    private Pair issue(String name, Instant from, Instant to, String ip, String dns) {
        try {
            CertificateBuilder b = new CertificateBuilder()
                    .subject("CN=" + dns)
                    .notBefore(from)
                    .notAfter(to)
                    .ecp256()
                    .addSanDnsName(dns)
                    .addExtendedKeyUsageServerAuth();
            if (ip != null) b.addSanIpAddress(ip);
            X509Bundle cert = b.buildIssuedBy(ca);
            Path c = dir.resolve(name + ".pem");
            Path k = dir.resolve(name + ".key");
            Files.writeString(c, cert.getCertificatePathPEM());
            Files.writeString(k, cert.getPrivateKeyPEM());
            return new Pair(c, k);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
