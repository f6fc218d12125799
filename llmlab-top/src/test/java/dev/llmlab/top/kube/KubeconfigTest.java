package dev.llmlab.top.kube;

import static dev.llmlab.top.kube.Fixtures.assertTargets;
import static dev.llmlab.top.kube.Fixtures.await;
import static dev.llmlab.top.kube.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.top.Discovery;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How discovery reaches the API server: a kubeconfig with a token and a CA (a file, or inline data)
 * against a fake API server serving TLS with a throw-away CA's certificate; the pod's own service
 * account; and every way a kubeconfig or the options can be wrong, each with its message.
 */
class KubeconfigTest {
    static final String PODS = KubeDiscoveryTest.PODS;
    static final String TOKEN = "s3cret-token";

    @TempDir
    static Path dir;

    static X509Bundle ca;
    static FakeApiServer api;

    @BeforeAll
    static void start() throws Exception {
        Instant now = Instant.now();
        ca = new CertificateBuilder()
                .subject("CN=kube test CA")
                .setIsCertificateAuthority(true)
                .notBefore(now.minus(1, ChronoUnit.DAYS))
                .notAfter(now.plus(1, ChronoUnit.DAYS))
                .ecp256()
                .buildSelfSigned();
        X509Bundle server = new CertificateBuilder()
                .subject("CN=kube-apiserver")
                .notBefore(now.minus(1, ChronoUnit.DAYS))
                .notAfter(now.plus(1, ChronoUnit.DAYS))
                .ecp256()
                .addSanIpAddress("127.0.0.1")
                .addExtendedKeyUsageServerAuth()
                .buildIssuedBy(ca);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(server.toKeyManagerFactory().getKeyManagers(), null, null);
        Files.writeString(dir.resolve("ca.pem"), ca.getCertificatePEM());
        api = new FakeApiServer(tls, TOKEN);
        api.put(PODS, pod("llm", "a", "10.0.0.1", true, Map.of("app", "vllm")));
        api.put("/api/v1/namespaces/default/pods", pod("default", "d", "10.0.9.1", true, Map.of()));
    }

    @AfterAll
    static void stop() {
        if (api != null) api.close();
    }

    static String kubeconfig(String cluster, String user, String namespace) {
        return """
                apiVersion: v1
                kind: Config
                current-context: test
                preferences: {}
                contexts:
                - name: test
                  context: {cluster: c1, user: u1%s}
                - name: elsewhere
                  context: {cluster: c1, user: u1, namespace: default}
                clusters:
                - name: c1
                  cluster:
                %s
                users:
                - name: u1
                  user:
                %s
                """.formatted(namespace == null ? "" : ", namespace: " + namespace, cluster.indent(4), user.indent(4));
    }

    static Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    static Discovery follow(Path kubeconfig, String context) {
        return Kubernetes.follow(
                new KubeOptions("pods", null, false, null, null, null, null, null, kubeconfig, context),
                Map.of("HOME", dir.toString()),
                Path.of("/nonexistent"),
                50);
    }

    @Test
    void aTokenAndACaFile_reachTheApiServerOverTls_inTheContextsNamespace() throws Exception {
        Path k = write(
                "k1.yaml",
                kubeconfig("server: " + api.url() + "\ncertificate-authority: ca.pem", "token: " + TOKEN, "llm"));
        try (Discovery d = follow(k, null)) {
            assertThat(d.awaitListed(Duration.ofSeconds(10)))
                    .as("%s", d.error())
                    .isTrue();
            assertTargets(d.targets(), "a=http://10.0.0.1:8000/metrics");
        }
        try (Discovery d = follow(k, "elsewhere")) { // another context: its namespace
            assertThat(d.awaitListed(Duration.ofSeconds(10)))
                    .as("%s", d.error())
                    .isTrue();
            assertTargets(d.targets(), "d=http://10.0.9.1:8000/metrics");
        }
    }

    @Test
    void inlineCaData_andATokenFile_work() throws Exception {
        String data = Base64.getEncoder().encodeToString(ca.getCertificatePEM().getBytes(StandardCharsets.US_ASCII));
        write("token", TOKEN + "\n");
        Path k = write(
                "k2.yaml",
                kubeconfig(
                        "server: " + api.url() + "\ncertificate-authority-data: " + data, "tokenFile: token", "llm"));
        try (Discovery d = follow(k, null)) {
            assertThat(d.awaitListed(Duration.ofSeconds(10)))
                    .as("%s", d.error())
                    .isTrue();
            assertTargets(d.targets(), "a=http://10.0.0.1:8000/metrics");
        }
    }

    @Test
    void theKubeconfigEnvironmentVariable_andTheHomeOne_areRead() throws Exception {
        Path k = write(
                "k3.yaml",
                kubeconfig("server: " + api.url() + "\ncertificate-authority: ca.pem", "token: " + TOKEN, "llm"));
        KubeOptions o = new KubeOptions("pods", null, false, null, null, null, null, null, null, null);
        try (Discovery d = Kubernetes.follow(o, Map.of("KUBECONFIG", "/nonexistent:" + k), Path.of("/x"), 50)) {
            assertThat(d.awaitListed(Duration.ofSeconds(10)))
                    .as("%s", d.error())
                    .isTrue();
        }
        Path home = Files.createDirectories(dir.resolve("home/.kube"));
        Files.copy(dir.resolve("ca.pem"), home.resolve("ca.pem"));
        Files.copy(k, home.resolve("config"));
        try (Discovery d =
                Kubernetes.follow(o, Map.of("HOME", dir.resolve("home").toString()), Path.of("/x"), 50)) {
            assertThat(d.awaitListed(Duration.ofSeconds(10)))
                    .as("%s", d.error())
                    .isTrue();
        }
    }

    @Test
    void aWrongToken_orAnUnknownCa_isSaid() throws Exception {
        Path wrong = write(
                "k4.yaml",
                kubeconfig("server: " + api.url() + "\ncertificate-authority: ca.pem", "token: nope", "llm"));
        try (Discovery d = follow(wrong, null)) {
            await("refused", () -> d.error() != null && d.error().contains("401"));
            assertThat(d.error()).contains("cannot list pods in namespace llm: HTTP 401: Unauthorized");
        }
        Path noCa = write("k5.yaml", kubeconfig("server: " + api.url(), "token: " + TOKEN, "llm"));
        try (Discovery d = follow(noCa, null)) {
            await("TLS refused", () -> d.error() != null && d.error().contains("TLS"));
        }
    }

    @Test
    void inACluster_theServiceAccountIsUsed() throws Exception {
        Path sa = Files.createDirectories(dir.resolve("serviceaccount"));
        Files.writeString(sa.resolve("token"), TOKEN);
        Files.copy(dir.resolve("ca.pem"), sa.resolve("ca.crt"));
        Files.writeString(sa.resolve("namespace"), "llm");
        Map<String, String> env = Map.of(
                "HOME", dir.resolve("nohome").toString(),
                "KUBERNETES_SERVICE_HOST", "127.0.0.1",
                "KUBERNETES_SERVICE_PORT", Integer.toString(api.port()));
        try (Discovery d = Kubernetes.follow(
                new KubeOptions("pods", null, false, null, null, null, null, null, null, null), env, sa, 50)) {
            assertThat(d.awaitListed(Duration.ofSeconds(10)))
                    .as("%s", d.error())
                    .isTrue();
            assertTargets(d.targets(), "a=http://10.0.0.1:8000/metrics");
        }
    }

    static String problem(Path kubeconfig, String context) {
        try (Discovery d = follow(kubeconfig, context)) {
            throw new AssertionError("no error: " + d);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Test
    void aBadKubeconfig_isNamed_withWhatIsWrong() throws Exception {
        String server = "server: " + api.url();
        assertThat(problem(dir.resolve("absent.yaml"), null)).contains("absent.yaml: no such file");
        assertThat(problem(write("b1.yaml", "clusters: [\n  - {name: c1"), null))
                .contains("b1.yaml: not a kubeconfig at line");
        assertThat(problem(
                        write("b2.yaml", kubeconfig(server, "token: t", null).replace("current-context: test", "")),
                        null))
                .endsWith("no current-context: name one of its contexts test, elsewhere");
        assertThat(problem(write("b3.yaml", kubeconfig(server, "token: t", null)), "prod"))
                .endsWith("no context 'prod' (it has test, elsewhere)");
        assertThat(problem(write("b4.yaml", kubeconfig("insecure-skip-tls-verify: true", "token: t", null)), null))
                .endsWith("cluster 'c1' has no server");
        assertThat(problem(write("b5.yaml", kubeconfig("server: 127.0.0.1:6443", "token: t", null)), null))
                .contains("cluster 'c1': server '127.0.0.1:6443' is not");
        assertThat(problem(
                        write(
                                "b6.yaml",
                                kubeconfig(server, "client-certificate-data: QUJD\nclient-key-data: QUJD", null)),
                        null))
                .contains("user 'u1' authenticates with a client certificate, which top cannot present");
        assertThat(problem(
                        write("b7.yaml", kubeconfig(server, "exec:\n  command: aws\n  args: [eks, get-token]", null)),
                        null))
                .contains("gets its credentials from a plugin (exec: aws), which top does not run");
        assertThat(problem(
                        write("b8.yaml", kubeconfig(server + "\ncertificate-authority: missing.pem", "token: t", null)),
                        null))
                .contains("certificate-authority missing.pem: no such file");
        assertThat(problem(
                        write(
                                "b9.yaml",
                                kubeconfig(
                                        server + "\ncertificate-authority-data: bm90IGEgY2VydA==", "token: t", null)),
                        null))
                .endsWith("cluster 'c1': certificate-authority-data is not a PEM certificate");
        assertThat(problem(
                        write(
                                "b10.yaml",
                                kubeconfig(server, "token: t", null)
                                        .replace("cluster: c1, user: u1}", "cluster: c9, user: u1}")),
                        null))
                .endsWith("context 'test' names cluster 'c9', which is not defined");
    }

    static String optionProblem(KubeOptions o, Map<String, String> env) {
        try (Discovery d = Kubernetes.follow(o, env, dir.resolve("no-service-account"), 50)) {
            throw new AssertionError("no error: " + d);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    static KubeOptions options(
            String resource, String namespace, boolean all, String port, String path, String scheme) {
        return new KubeOptions(resource, namespace, all, null, port, path, scheme, "http://127.0.0.1:1", null, null);
    }

    @Test
    void badOptions_andNoConfiguration_areSaid() {
        Map<String, String> env = Map.of("HOME", dir.resolve("nohome").toString());
        assertThat(optionProblem(options("deployments", null, false, null, null, null), env))
                .contains("'deployments' is not a kind top follows: pods (po), services (svc)");
        assertThat(optionProblem(options("pods/a/b", null, false, null, null, null), env))
                .contains("not KIND or KIND/NAME");
        assertThat(optionProblem(options("pods", "llm", true, null, null, null), env))
                .contains("a namespace and all namespaces");
        assertThat(optionProblem(options("pods", null, false, "99999", null, null), env))
                .contains("the port '99999' is neither a number in 1..65535 nor a port's name");
        assertThat(optionProblem(options("pods", null, false, null, "metrics", null), env))
                .contains("must start with /");
        assertThat(optionProblem(options("pods", null, false, null, null, "ftp"), env))
                .contains("neither http nor https");
        assertThat(optionProblem(new KubeOptions("pods", null, false, null, null, null, null, null, null, null), env))
                .startsWith("no Kubernetes configuration: no $KUBECONFIG, no ~/.kube/config, and not in a pod");
        assertThat(optionProblem(
                        new KubeOptions("pods", null, false, null, null, null, null, null, null, null),
                        Map.of("KUBECONFIG", "/nonexistent/a:/nonexistent/b")))
                .contains("KUBECONFIG names no file that exists");
    }
}
