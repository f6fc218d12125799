package dev.llmlab.gateway.proxy;

import dev.llmlab.api.client.ClientApi;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** The paths the gateway serves, and the headers it treats specially. */
public final class Endpoints {
    /** The header that carries the gateway's own time on every answer, in milliseconds. */
    public static final String OVERHEAD_HEADER = "x-llmlab-overhead-ms";

    /** The deployment that answered (or gave the last failure). */
    public static final String DEPLOYMENT_HEADER = "x-llmlab-deployment";

    /** How many tries the request took, when it took more than one. */
    public static final String TRIES_HEADER = "x-llmlab-tries";

    static final String REQUEST_ID = "x-request-id";

    /** Where the APIs carry a key: the client's never goes upstream when the gateway sends its own. */
    static final List<String> CREDENTIALS = List.of("authorization", "api-key", "x-api-key", "x-goog-api-key");

    /** Request headers not forwarded: hop-by-hop (RFC 9110, 7.6.1), or the client's own per connection. */
    static final Set<String> NOT_FORWARDED = Set.of(
            "connection",
            "keep-alive",
            "proxy-connection",
            "proxy-authorization",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "host",
            "content-length",
            "expect",
            REQUEST_ID);

    /** Response headers not passed back: hop-by-hop, or set by the gateway's server. */
    static final Set<String> NOT_RETURNED = Set.of(
            "connection",
            "keep-alive",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "content-length",
            "content-type",
            "date",
            "server",
            "cache-control",
            REQUEST_ID);

    /** Every generation and embeddings path: OpenAI's, Anthropic's and Gemini's. */
    static final List<Endpoint> ALL = List.of(
            new Endpoint(ClientApi.OPENAI_CHAT, "POST", "/v1/chat/completions", "/chat/completions"),
            new Endpoint(ClientApi.OPENAI_COMPLETIONS, "POST", "/v1/completions", "/completions"),
            new Endpoint(ClientApi.OPENAI_EMBEDDINGS, "POST", "/v1/embeddings", "/embeddings"),
            new Endpoint(ClientApi.OPENAI_RESPONSES, "POST", "/v1/responses", "/responses"),
            new Endpoint(ClientApi.ANTHROPIC_MESSAGES, "POST", "/v1/messages", "/messages"),
            new Endpoint(ClientApi.ANTHROPIC_MESSAGES, "POST", "/v1/messages/count_tokens", "/messages/count_tokens"),
            new Endpoint(ClientApi.GEMINI, "POST", "/v1beta/models/{model}:generateContent", ":generateContent"),
            new Endpoint(
                    ClientApi.GEMINI, "POST", "/v1beta/models/{model}:streamGenerateContent", ":streamGenerateContent"),
            new Endpoint(ClientApi.GEMINI, "POST", "/v1beta/models/{model}:countTokens", ":countTokens"));

    private Endpoints() {}

    /** The client's id when it is short and plain, so that it can go into headers and logs; else a new one. */
    static String requestId(String given) {
        if (given != null && !given.isEmpty() && given.length() <= 128) {
            boolean plain = true;
            for (int i = 0; i < given.length() && plain; i++) {
                char c = given.charAt(i);
                plain = c > ' ' && c < 127;
            }
            if (plain) return given;
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] id = new char[7 + 32];
        "llmlab-".getChars(0, 7, id, 0);
        hex(r.nextLong(), id, 7);
        hex(r.nextLong(), id, 23);
        return new String(id);
    }

    private static void hex(long v, char[] out, int at) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = Character.forDigit((int) (v & 15), 16);
            v >>>= 4;
        }
    }
}
