package dev.llmlab.bench.client;

import dev.llmlab.api.GenerationRequest;
import dev.llmlab.bench.measure.Fate;
import dev.llmlab.bench.measure.RequestRecord;
import dev.llmlab.core.token.Tokenizer;
import dev.llmlab.http.client.Call;
import dev.llmlab.http.client.ClientException;
import dev.llmlab.http.client.ClientLoop;
import dev.llmlab.http.client.HttpClient;
import dev.llmlab.http.client.Proxies;
import dev.llmlab.http.client.RequestHead;
import dev.llmlab.http.client.ResponseHead;
import dev.llmlab.http.client.ResponseListener;
import dev.llmlab.http.client.TlsInfo;
import dev.llmlab.http.client.TlsOptions;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The load generator's side of the shared {@link HttpClient}: one target's request, prepared once,
 * sent with each prompt's body, and every answer turned into a {@link RequestRecord} by a
 * {@link MeasuredRequest}. The client does the rest as wrk does (see {@link HttpClient}): a request
 * sent from an event loop (a closed-loop user's next request, an open loop's timer) goes on that
 * loop's own connections, with {@link System#nanoTime()} taken at the actual send, the first
 * response byte, every token-bearing event and the end.
 *
 * <p>Output tokens: the server's {@code usage} is taken when it gives one. The client's own count
 * (the tokenizer, which costs more than the rest of a short request's handling) is made for every
 * answer without usage, and otherwise for the first {@value #CHECK_FIRST} answers of each loop and
 * one in {@value #CHECK_EVERY} after, so that a server whose usage is wrong shows it without the
 * check capping the client's rate.
 *
 * <p>{@code --timeout} is the client's connect and total timeout; how each failure kind of the
 * client maps to a {@link Fate} is in {@link #fate}.
 *
 * <p>Thread-safe: {@link #send} may be called from any thread; each request then lives on one
 * loop, and its record is delivered there.
 */
public final class BenchClient implements AutoCloseable {
    static final int CHECK_FIRST = 1000;
    static final int CHECK_EVERY = 100;

    final Target target;
    final Tokenizer tokenizer;
    /** The request line and headers, the same for every request. */
    final RequestHead head;
    /** What every request of the run asks, as its stream decoder needs to know it (Gemini: how many candidates). */
    final GenerationRequest shape;

    private final HttpClient http;

    /** Answers with usage seen on this loop, for the tokenizer's sample (see the class comment). */
    private final FastThreadLocal<long[]> answersWithUsage = new FastThreadLocal<>() {
        @Override
        protected long[] initialValue() {
            return new long[1];
        }
    };

    /**
     * @param ioThreads event loops; each owns its connections
     * @param tokenizer counts the output text, next to the server's {@code usage}
     */
    public BenchClient(Target target, int ioThreads, Duration timeout, Tokenizer tokenizer) {
        this(target, ioThreads, timeout, tokenizer, TlsOptions.DEFAULT, Proxies.NONE);
    }

    /**
     * @param tls     how https targets are verified
     * @param proxies the proxies to reach the target through ({@link Proxies#NONE} for an embedded simulator)
     * @throws IllegalArgumentException for a CA file that cannot be read, naming it, and for nothing
     *     else: the target's headers were held to the client's rule when it was made
     * @throws IllegalStateException when TLS cannot be set up (the TLS engine or the JDK's trust
     *     store refuses), with a message for a person
     */
    public BenchClient(
            Target target, int ioThreads, Duration timeout, Tokenizer tokenizer, TlsOptions tls, Proxies proxies) {
        this.target = target;
        this.tokenizer = tokenizer;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.putAll(target.headers());
        this.head = RequestHead.of(target.origin(), "POST", target.path(), headers);
        this.shape = Requests.generation(target.api(), target.model(), Requests.user(""), "", 1, target.stream());
        this.http = HttpClient.builder()
                .ioThreads(ioThreads)
                .threadName("llmlab-bench")
                .connectTimeout(timeout)
                .totalTimeout(timeout)
                .tls(tls)
                .proxies(proxies)
                .build();
    }

    /** {@code "epoll"} or {@code "nio"}. */
    public String transport() {
        return http.transport();
    }

    /** {@code "openssl"} or {@code "jdk"}: the engine an https target is measured through. */
    public String tlsEngine() {
        return http.tlsEngine().label();
    }

    /** The protocol and cipher of the first TLS connection, or null (plain HTTP, or none yet). */
    public TlsInfo firstTls() {
        return http.firstTls();
    }

    /** How many event loops the client runs. */
    public int loops() {
        return http.loops();
    }

    /**
     * Event loop {@code i}, for scheduling sends on it: a request sent from a loop's own thread uses
     * that loop's connections. The handle runs and schedules work there; it cannot stop the loop.
     */
    public ClientLoop loop(int i) {
        return http.loop(i);
    }

    /** Connections opened so far, warm-up included. */
    public long connectionsOpened() {
        return http.connectionsOpened();
    }

    /**
     * Sends one request (its actual send time is now: a connection it must open first is part of
     * its latency); {@code done} receives its record on an event loop, exactly once, whatever
     * happens (a refused connection and a timeout are records too).
     *
     * @param intendedNanos when the schedule meant it to go
     * @param slotWaitNanos how long it waited for a concurrency slot before this call
     */
    public void send(
            byte[] body, int inputTokens, long intendedNanos, long slotWaitNanos, Consumer<RequestRecord> done) {
        http.send(head, body, new MeasuredRequest(this, inputTokens, intendedNanos, slotWaitNanos, done));
    }

    /**
     * Opens up to {@code connections} connections, spread over the loops, into the pools and waits
     * until they are ready (TCP, a proxy's tunnel and the TLS handshake), so that a run starts with
     * connections ready and its first sends do not pay for handshakes and class loading. It waits at
     * most {@code --timeout} and never more than 5 s ({@link HttpClient#warmUp}): connections not
     * ready by then are closed, with a warning in the log, and the run's first sends open their own.
     */
    public void warmUp(int connections) {
        http.warmUp(target.origin(), connections);
    }

    /**
     * Abandons every request in flight, closing its connection (its record says CONNECTION): for a
     * run stopped early, whose queued requests would otherwise hold the next one up.
     */
    public void cancelAll() {
        http.cancelAll();
    }

    /**
     * {@code GET path} under the target's base (with its headers: an API key lets a provider answer),
     * through the same client, proxy and TLS settings as the load.
     *
     * @return the body of a 200 answer, or null
     * @throws IllegalStateException with a message for a person: the status, or why it failed
     */
    public String get(String path, Duration timeout) {
        RequestHead get = RequestHead.of(target.origin(), "GET", target.basePath() + path, target.headers());
        CompletableFuture<String> answer = new CompletableFuture<>();
        http.send(get, null, new ResponseListener() {
            private int status;

            @Override
            public Body onHead(Call call, ResponseHead h) {
                status = h.status();
                return Body.WHOLE;
            }

            @Override
            public void onEnd(Call call, byte[] body, int length) {
                if (status == 200) answer.complete(new String(body, 0, length, StandardCharsets.UTF_8));
                else answer.completeExceptionally(new IllegalStateException("HTTP " + status));
            }

            @Override
            public void onFailure(Call call, ClientException failure) {
                answer.completeExceptionally(new IllegalStateException(failure.getMessage()));
            }
        });
        try {
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (IllegalStateException) e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    @Override
    public void close() {
        http.close();
    }

    /** Whether an answer that came with usage should also be counted by the tokenizer (on its loop). */
    boolean check() {
        long[] n = answersWithUsage.get();
        boolean c = checked(n[0]);
        n[0]++;
        return c;
    }

    private static boolean checked(long answers) {
        return answers < CHECK_FIRST || answers % CHECK_EVERY == 0;
    }

    /**
     * The benchmark's class of a client failure. Kept as before the shared client: a connect that
     * timed out, a proxy that refused, a cancel (a stopped run) and a connection lost mid-answer are
     * all {@code connection}; only the request timeouts are {@code timeout}; TLS failures are their
     * own class.
     */
    Fate fate(ClientException e) {
        Fate f = switch (e.kind()) {
            case FIRST_BYTE_TIMEOUT, IDLE_TIMEOUT, TOTAL_TIMEOUT -> Fate.TIMEOUT;
            case TLS -> Fate.TLS;
            case MALFORMED, TOO_LARGE -> Fate.MALFORMED;
            case CONNECT, CONNECT_TIMEOUT, PROXY, CLOSED, CANCELLED -> Fate.CONNECTION;
        };
        return f;
    }
}
