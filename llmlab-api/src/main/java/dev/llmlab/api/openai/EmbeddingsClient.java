package dev.llmlab.api.openai;

import static dev.llmlab.api.client.internal.ClientJson.integer;
import static dev.llmlab.api.client.internal.ClientJson.next;
import static dev.llmlab.api.client.internal.ClientJson.nextName;
import static dev.llmlab.api.client.internal.ClientJson.skip;

import dev.llmlab.api.EmbeddingRequest;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.Prompt;
import dev.llmlab.api.client.ClientApi;
import dev.llmlab.api.client.ClientCodec;
import dev.llmlab.api.client.ClientListener;
import dev.llmlab.api.client.ClientRequest;
import dev.llmlab.api.client.EmbeddingsAnswer;
import dev.llmlab.api.client.ProviderError;
import dev.llmlab.api.client.StreamDecoder;
import dev.llmlab.api.client.internal.ClientJson;
import java.io.ByteArrayOutputStream;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * OpenAI embeddings ({@code POST /embeddings}) on the client side: the request, and the answer
 * counted without keeping its vectors (a load generator wants how many and how long; a float
 * array of 3072 dimensions per input would be the largest allocation of the client). Stateless.
 */
final class EmbeddingsClient implements ClientCodec {
    @Override
    public ClientApi api() {
        return ClientApi.OPENAI_EMBEDDINGS;
    }

    @Override
    public ClientRequest request(EmbeddingRequest r, String apiKey) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(128);
        try (JsonGenerator g = ClientJson.MAPPER.createGenerator(body)) {
            g.writeStartObject();
            g.writeStringProperty("model", r.model());
            g.writeName("input");
            if (r.inputs().size() == 1 && !r.inputs().getFirst().isTokens()) {
                g.writeString(r.inputs().getFirst().text());
            } else {
                g.writeStartArray();
                for (Prompt p : r.inputs()) {
                    if (p.isTokens()) {
                        g.writeStartArray();
                        for (int t : p.tokens()) g.writeNumber(t);
                        g.writeEndArray();
                    } else {
                        g.writeString(p.text());
                    }
                }
                g.writeEndArray();
            }
            if (r.dimensions() > 0) g.writeNumberProperty("dimensions", r.dimensions());
            if (r.base64()) g.writeStringProperty("encoding_format", "base64");
            if (r.user() != null) g.writeStringProperty("user", r.user());
            g.writeEndObject();
        }
        return new ClientRequest("/embeddings", ChatClient.headers(apiKey, false), body.toByteArray());
    }

    @Override
    public ClientRequest request(GenerationRequest request, String apiKey) {
        throw new UnsupportedOperationException("openai-embeddings does not generate text");
    }

    @Override
    public void decode(byte[] body, int offset, int length, ClientListener listener) {
        throw new UnsupportedOperationException("openai-embeddings does not generate text");
    }

    @Override
    public StreamDecoder streamDecoder(GenerationRequest request, ClientListener listener) {
        throw new UnsupportedOperationException("openai-embeddings does not stream");
    }

    @Override
    public ProviderError error(int status, byte[] body, int offset, int length) {
        return OpenAiErrors.body(status, body, offset, length);
    }

    @Override
    public EmbeddingsAnswer embeddings(byte[] body, int offset, int length) {
        String what = "an embeddings answer";
        try (JsonParser p = ClientJson.openObject(body, offset, length, what)) {
            int count = 0;
            int dimensions = -1;
            int prompt = -1;
            boolean data = false;
            for (String name = nextName(p); name != null; name = nextName(p)) {
                JsonToken t = next(p);
                if (name.equals("data") && t == JsonToken.START_ARRAY) {
                    data = true;
                    for (JsonToken e = next(p); e != JsonToken.END_ARRAY; e = next(p)) {
                        if (e != JsonToken.START_OBJECT)
                            throw ClientJson.malformed(what + ": an entry is not an object");
                        int d = vector(p);
                        if (count++ == 0) dimensions = d;
                    }
                } else if (name.equals("usage") && t == JsonToken.START_OBJECT) {
                    for (String u = nextName(p); u != null; u = nextName(p)) {
                        next(p);
                        if (u.equals("prompt_tokens")) prompt = integer(p, -1);
                        else skip(p);
                    }
                } else {
                    skip(p);
                }
            }
            if (!data) throw ClientJson.malformed(what + ": no data");
            return new EmbeddingsAnswer(count, Math.max(dimensions, 0), prompt);
        } catch (RuntimeException e) {
            throw ClientJson.failure(what, e);
        }
    }

    /** One entry's dimensions: floats counted, or a base64 string's bytes / 4. */
    private static int vector(JsonParser p) {
        int dims = -1;
        for (String name = nextName(p); name != null; name = nextName(p)) {
            JsonToken t = next(p);
            if (!name.equals("embedding")) {
                skip(p);
            } else if (t == JsonToken.START_ARRAY) {
                dims = 0;
                for (JsonToken v = next(p); v != JsonToken.END_ARRAY; v = next(p)) dims++;
            } else if (t == JsonToken.VALUE_STRING) {
                int chars = p.getStringLength();
                char[] c = p.getStringCharacters();
                int end = p.getStringOffset() + chars;
                int pad = 0;
                while (pad < 2 && chars - pad > 0 && c[end - 1 - pad] == '=') pad++;
                dims = (chars / 4 * 3 - pad) / 4;
            } else {
                skip(p);
            }
        }
        return dims;
    }
}
