package dev.llmlab.http;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/** The server's TLS context from a PEM certificate chain and key, checked to belong together. */
final class ServerTls {
    private ServerTls() {}

    /** @throws IllegalArgumentException naming the file and what is wrong: unreadable, not PEM, a key of another certificate */
    static SslContext context(Path certChain, Path key, Tls.Engine engine) {
        X509Certificate[] chain = Tls.certificates(certChain, "TLS certificate");
        PrivateKey pk = Tls.privateKey(key, "TLS key");
        if (!pair(pk, chain[0].getPublicKey()))
            throw new IllegalArgumentException(
                    "TLS key " + key + " is not the key of the certificate in " + certChain + " (the first one)");
        try {
            return SslContextBuilder.forServer(pk, chain)
                    .sslProvider(engine.provider())
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("TLS certificate " + certChain + " and key " + key + " cannot be used: "
                    + (e.getMessage() == null ? "no reason given" : e.getMessage()));
        }
    }

    /** Whether {@code key} signs what {@code pub} verifies: the one check that holds for RSA, EC and EdDSA alike. */
    private static boolean pair(PrivateKey key, PublicKey pub) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "RSASSA-PSS" -> null;
            default -> null;
        };
        if (alg == null) return true; // not checked here: the handshake will tell
        try {
            byte[] probe = "llmlab".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(pub);
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
