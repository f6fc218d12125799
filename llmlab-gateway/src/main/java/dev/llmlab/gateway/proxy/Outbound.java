package dev.llmlab.gateway.proxy;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.client.ClientApi;
import dev.llmlab.api.client.ClientRequest;
import dev.llmlab.api.relay.Parsed;
import dev.llmlab.api.relay.Relay;
import dev.llmlab.api.relay.RelayError;
import dev.llmlab.api.relay.Translation;
import dev.llmlab.gateway.account.UsageEstimate;
import dev.llmlab.gateway.keys.Key;
import dev.llmlab.gateway.provider.Provider;
import dev.llmlab.gateway.route.Deployment;
import dev.llmlab.http.Exchange;
import dev.llmlab.http.client.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One client request as each of its tries sends it on: built anew for the deployment a try goes
 * to, with the {@link Reply} that will take that deployment's answer back to the client.
 *
 * <h2>Pass-through</h2>
 * When the deployment speaks the client's API, the body goes as it came, the model rewritten to
 * the deployment's (Gemini's is in the path), with the client's headers; the client's credentials
 * are dropped when the deployment has a key of its own, or when the gateway checks client keys
 * (the client's key is then the gateway's, not the provider's).
 * An OpenAI stream that did not ask for usage is sent asking for it ({@code
 * stream_options.include_usage}), for the accounting; its {@link PassReply} keeps the usage chunk
 * from the client.
 *
 * <h2>Translation</h2>
 * Otherwise through the relay: the request is read as the relay reads it once, when the first try
 * needs it, and written in each target's API with its model ({@link TranslatedReply} translates
 * the answer back). Refused with a 400 in the client's API's shape, and never sent: an endpoint
 * with nothing to translate into (embeddings, token counts, a GET), a Gemini stream without
 * {@code ?alt=sse}, and what the relay cannot translate (its own error, which names the field).
 *
 * <p>Not thread-safe: one per request, used on its event loop.
 */
final class Outbound {
    private final Exchange ex;
    private final Endpoint endpoint;
    private final ClientApi api;
    private final Ingress ingress;
    private final byte[] body;
    private final RequestScan scan;
    private final dev.llmlab.api.relay.Ingress relayIngress;
    private final GenerationRequest request;
    private final Map<String, String> forwarded;
    private final boolean forwardClientCredentials;
    private final String requestId;
    private final UsageEstimate estimate;
    /** The request as the relay reads it, for a translation: read once, when the first try needs it. */
    private Parsed parsed;

    /** A try's request, or why there is none. */
    sealed interface Prepared permits Ready, Refused {}

    /** What to send, and what takes the answer back. */
    record Ready(RequestHead head, byte[] body, Reply reply) implements Prepared {}

    /** The client's answer instead: nothing is sent to the deployment. */
    record Refused(int status, CharSequence contentType, ByteBuf body) implements Prepared {}

    /**
     * @param scan                     the top-level members of a JSON body, for the pass-through's rewrites; null
     *                                 without one
     * @param relayIngress             the request's API as the relay names it, for a translation; null for what is
     *                                 only passed through (embeddings, token counts, a GET)
     * @param request                  the request in the internal model (a token count's too), or null
     * @param forwarded                the client's headers that may go on
     * @param forwardClientCredentials whether the client's credentials may go on (the gateway checks none)
     */
    Outbound(
            Exchange ex,
            Endpoint endpoint,
            byte[] body,
            RequestScan scan,
            dev.llmlab.api.relay.Ingress relayIngress,
            GenerationRequest request,
            Map<String, String> forwarded,
            boolean forwardClientCredentials,
            String requestId,
            UsageEstimate estimate) {
        this.ex = ex;
        this.endpoint = endpoint;
        this.api = endpoint.api();
        this.ingress = Ingress.of(api);
        this.body = body;
        this.scan = scan;
        this.relayIngress = relayIngress;
        this.request = request;
        this.forwarded = forwarded;
        this.forwardClientCredentials = forwardClientCredentials;
        this.requestId = requestId;
        this.estimate = estimate;
    }

    /**
     * The request of a try to {@code d}.
     *
     * @param model the model in the deployment's terms
     * @param key   the deployment's key the try goes with
     */
    Prepared prepare(Deployment d, String model, Key key) {
        Provider provider = d.provider();
        ClientApi target = provider.apiFor(api);
        String secret = key.secret() == null ? null : key.secret().reveal();
        Tally tally = new Tally(estimate, request);
        Map<String, String> headers = new LinkedHashMap<>();
        String path;
        byte[] out;
        Reply r;
        if (target == api) {
            headers.putAll(forwarded);
            if (secret != null || !forwardClientCredentials) for (String c : Endpoints.CREDENTIALS) headers.remove(c);
            path = endpoint.providerPath(model, ex);
            out = body == null || api == ClientApi.GEMINI ? body : scan.withModel(body, model);
            boolean strip = false;
            if (out != null
                    && scan != null
                    && request != null
                    && request.stream()
                    && !scan.streamOptions()
                    && (api == ClientApi.OPENAI_CHAT || api == ClientApi.OPENAI_COMPLETIONS)) {
                out = RequestScan.withIncludeUsage(out);
                strip = true;
            }
            r = new PassReply(ex, tally, ingress, target, request, strip, requestId);
        } else if (relayIngress == null) {
            String what = endpoint.suffix().replace("/", "").replace(":", "");
            return refused("the route's deployment " + d.name() + " speaks " + target.flag() + ", which has no " + what
                    + " to translate " + api.flag() + "'s into");
        } else if (relayIngress.api() == ClientApi.GEMINI && relayIngress.stream() && !relayIngress.sse()) {
            return refused("the route's deployment " + d.name() + " speaks " + target.flag()
                    + ": a stream translated from it is served as server-sent events only; add ?alt=sse");
        } else {
            Translation t;
            try {
                if (parsed == null) parsed = Relay.parse(relayIngress, body, 0, body.length);
                t = Relay.request(parsed, target, model, null);
            } catch (ApiException e) {
                RelayError re = Relay.error(relayIngress, e);
                return new Refused(re.status(), re.contentType(), Unpooled.wrappedBuffer(re.body()));
            }
            ClientRequest cr = t.request();
            for (ClientRequest.Header h : cr.headers()) headers.put(h.name(), h.value());
            path = cr.path();
            out = cr.body();
            r = new TranslatedReply(ex, tally, t);
        }
        provider.credentials(headers, secret);
        headers.put(Endpoints.REQUEST_ID, requestId);
        RequestHead head =
                RequestHead.of(provider.upstream().origin(), ex.method(), provider.target(path, model), headers);
        return new Ready(head, out, r);
    }

    private Refused refused(String message) {
        return new Refused(
                400, "application/json", ingress.error(ex, 400, "invalid_request_error", message, requestId));
    }
}
