package dev.llmlab.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * What the real-server fixtures share: finding a Debian-installed binary, a free loopback port,
 * and starting a process that says when it is ready on its output (read as it comes, never slept
 * on).
 */
public final class LocalProcess {
    private LocalProcess() {}

    /** The first of {@code candidates} that exists and can run, or an error saying what to install. */
    public static Path binary(String debianPackage, String... candidates) {
        for (String c : candidates) {
            if (c.contains("*")) {
                Path dir = Path.of(c.substring(0, c.indexOf('*')));
                String rest = c.substring(c.indexOf('*') + 1);
                try (var versions = Files.list(dir)) {
                    for (Path v : versions.sorted().toList().reversed()) {
                        Path p = Path.of(v + rest);
                        if (Files.isExecutable(p)) return p;
                    }
                } catch (IOException e) {
                    // no such directory: try the next candidate
                }
            } else if (Files.isExecutable(Path.of(c))) return Path.of(c);
        }
        throw new IllegalStateException(
                "this test needs " + debianPackage + " (apt-get install " + debianPackage + "; .ci/run installs it)");
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Starts {@code command} with its output and errors merged, and returns once a line passes
     * {@code ready}; the rest of its output is drained so that it never blocks on a full pipe.
     *
     * @throws IllegalStateException if it exits first or says nothing ready within 30 s, with its output
     */
    public static Process start(List<String> command, Predicate<String> ready) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Boolean> up = new CompletableFuture<>();
        List<String> seen = new ArrayList<>();
        Thread drain = new Thread(
                () -> {
                    try (BufferedReader r =
                            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            if (!up.isDone()) {
                                synchronized (seen) {
                                    seen.add(line);
                                }
                                if (ready.test(line)) up.complete(true);
                            }
                        }
                    } catch (IOException e) {
                        // the process went away
                    }
                    up.complete(false);
                },
                "drain-" + command.getFirst());
        drain.setDaemon(true);
        drain.start();
        boolean ok;
        try {
            ok = up.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            ok = false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (!ok) {
            p.destroyForcibly();
            synchronized (seen) {
                throw new IllegalStateException(command + " did not start:\n" + String.join("\n", seen));
            }
        }
        return p;
    }

    /** Runs {@code command} to its end and returns its output; throws if it fails. */
    public static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0)
            throw new IllegalStateException(command + " failed:\n" + out);
        return out;
    }

    public static void stop(Process p) throws InterruptedException {
        if (p == null || !p.isAlive()) return;
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
