package dev.llmlab.top;

import dev.llmlab.http.client.Call;
import dev.llmlab.http.client.ClientException;
import dev.llmlab.http.client.HttpClient;
import dev.llmlab.http.client.RequestHead;
import dev.llmlab.http.client.ResponseHead;
import dev.llmlab.http.client.ResponseListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** One GET whose whole body is wanted, as a stage that always completes normally, on the client's loop. */
final class Get {
    private Get() {}

    /**
     * What a GET gave.
     *
     * @param body  null when it failed
     * @param error why it failed (refused, timed out, too large), null when an answer came
     */
    record Answer(int status, String body, String error) {}

    /** @param timeout the client's, for the reason a timed-out GET gives */
    static CompletableFuture<Answer> send(HttpClient http, RequestHead request, Duration timeout) {
        CompletableFuture<Answer> done = new CompletableFuture<>();
        http.send(request, null, new ResponseListener() {
            private int status;

            @Override
            public Body onHead(Call call, ResponseHead head) {
                status = head.status();
                return Body.WHOLE;
            }

            @Override
            public void onEnd(Call call, byte[] body, int length) {
                done.complete(new Answer(status, new String(body, 0, length, StandardCharsets.UTF_8), null));
            }

            @Override
            public void onFailure(Call call, ClientException e) {
                done.complete(new Answer(0, null, e.reason(timeout)));
            }
        });
        return done;
    }
}
