package dev.llmlab.http;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server and the client share about TLS: which engine runs it, and reading PEM files.
 *
 * <p>The engine is OpenSSL (BoringSSL, from netty-tcnative) when its native library loads on this
 * machine, else the JDK's own; the choice is made once per process and logged with the reason for a
 * fallback, as the transport's is. Both verify certificates with the JDK's trust managers, so what
 * is trusted does not depend on the engine; OpenSSL is faster at the handshake and the record layer.
 * Only HTTP/1.1 is spoken: no ALPN is offered or accepted, so a peer that also speaks h2 stays on
 * HTTP/1.1.
 *
 * <p>Thread-safe.
 */
public final class Tls {
    private static final Logger log = LoggerFactory.getLogger(Tls.class);

    /** A TLS engine. */
    public enum Engine {
        OPENSSL,
        JDK;

        /** {@code "openssl"} or {@code "jdk"}, as results and logs name it. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /**
         * Netty's provider for it. Public only so that the client ({@code dev.llmlab.http.client})
         * and the server map an engine the same way: not meant for other callers.
         */
        public SslProvider provider() {
            return this == OPENSSL ? SslProvider.OPENSSL : SslProvider.JDK;
        }
    }

    private Tls() {}

    private static final class Chosen {
        static final Engine ENGINE = choose();

        private static Engine choose() {
            if (OpenSsl.isAvailable()) {
                log.info("TLS engine: openssl ({})", OpenSsl.versionString());
                return Engine.OPENSSL;
            }
            Throwable cause = OpenSsl.unavailabilityCause();
            log.info(
                    "OpenSSL unavailable ({}); TLS engine: jdk",
                    cause == null ? "no reason given" : cause.getMessage() != null ? cause.getMessage() : cause);
            return Engine.JDK;
        }
    }

    /** OpenSSL if its native library loads here, else the JDK's (chosen once, and logged). */
    public static Engine engine() {
        return Chosen.ENGINE;
    }

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----", Pattern.DOTALL);

    /**
     * The certificates in a PEM file, in order (a server's chain: its own first). Public only so that
     * the client ({@code dev.llmlab.http.client}, another package) reads its CA file by the same code
     * as the server its certificate: not meant for other callers.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static X509Certificate[] certificates(Path file, String what) {
        List<X509Certificate> out = new ArrayList<>();
        CertificateFactory f;
        try {
            f = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("no X.509 support in this JDK", e);
        }
        for (Block b : blocks(file, what)) {
            if (!b.type.equals("CERTIFICATE") && !b.type.equals("TRUSTED CERTIFICATE")) continue;
            try {
                out.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream(b.der)));
            } catch (CertificateException e) {
                throw new IllegalArgumentException(
                        what + " " + file + ": a CERTIFICATE block that is not an X.509 certificate");
            }
        }
        if (out.isEmpty())
            throw new IllegalArgumentException(
                    what + " " + file + ": no PEM certificate (-----BEGIN CERTIFICATE-----) in it");
        return out.toArray(X509Certificate[]::new);
    }

    /**
     * The private key in a PEM file: PKCS#8 ({@code BEGIN PRIVATE KEY}, RSA, EC or Ed25519) or
     * PKCS#1 ({@code BEGIN RSA PRIVATE KEY}). An encrypted key is refused: the server has no
     * passphrase to open it with.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    static PrivateKey privateKey(Path file, String what) {
        for (Block b : blocks(file, what)) {
            switch (b.type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(file, what, b.der);
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(file, what, rsaPkcs1ToPkcs8(b.der));
                }
                case "ENCRYPTED PRIVATE KEY" ->
                    throw new IllegalArgumentException(what + " " + file
                            + ": the key is encrypted; give it unencrypted (openssl pkey -in KEY -out PLAIN)");
                case "EC PRIVATE KEY" ->
                    throw new IllegalArgumentException(
                            what + " " + file
                                    + ": an EC key in the SEC1 form; convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY8)");
                default -> {}
            }
        }
        throw new IllegalArgumentException(
                what + " " + file + ": no PEM private key (-----BEGIN PRIVATE KEY-----) in it");
    }

    private static PrivateKey pkcs8(Path file, String what, byte[] der) {
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "EdDSA", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | IllegalArgumentException ignored) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException(what + " " + file + ": a private key of no algorithm this JDK reads");
    }

    /** Wraps a PKCS#1 RSAPrivateKey in PKCS#8's PrivateKeyInfo: version 0, rsaEncryption, the key as an OCTET STRING. */
    static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = {
            0x30,
            0x0d,
            0x06,
            0x09,
            0x2a,
            (byte) 0x86,
            0x48,
            (byte) 0x86,
            (byte) 0xf7,
            0x0d,
            0x01,
            0x01,
            0x01,
            0x05,
            0x00
        };
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = der(0x04, pkcs1);
        byte[] body = new byte[version.length + algorithm.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
        System.arraycopy(octets, 0, body, version.length + algorithm.length, octets.length);
        return der(0x30, body);
    }

    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] length = n < 128
                ? new byte[] {(byte) n}
                : n < 256
                        ? new byte[] {(byte) 0x81, (byte) n}
                        : n < 65536
                                ? new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n}
                                : new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        byte[] out = new byte[1 + length.length + n];
        out[0] = (byte) tag;
        System.arraycopy(length, 0, out, 1, length.length);
        System.arraycopy(content, 0, out, 1 + length.length, n);
        return out;
    }

    private record Block(String type, byte[] der) {}

    private static List<Block> blocks(Path file, String what) {
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(what + " " + file + ": no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IllegalArgumentException(what + " " + file + ": permission denied");
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " " + file + ": cannot be read ("
                    + (e.getMessage() == null ? "unreadable" : e.getMessage()) + ")");
        }
        List<Block> out = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        what + " " + file + ": a " + m.group(1) + " block that is not base64");
            }
        }
        return out;
    }
}
