package dev.llmlab.gateway;

import dev.llmlab.gateway.SdkGateway.Sdk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official SDKs calling through the gateway to a provider of another API, so that the gateway
 * translates the request and its answer through the internal model: the OpenAI SDK to the
 * anthropic and gemini kinds, the Anthropic SDK to the OpenAI kinds and gemini, the Gen AI SDK to
 * the OpenAI kinds and anthropic. Each whole and streamed, plain text and with a forced tool call;
 * what the SDK decodes must read as if its own API had answered: text, the tool call with JSON
 * arguments, the finish reason in its API's words, and the usage.
 */
class SdkTranslationTest {
    @TempDir
    static Path dir;

    static SdkGateway bed;
    static final Map<Sdk, SdkClient> clients = new EnumMap<>(Sdk.class);

    @BeforeAll
    static void start() throws Exception {
        bed = SdkGateway.start(dir);
        for (Sdk s : Sdk.values()) clients.put(s, bed.client(s, SdkGateway.CLIENT_KEY));
    }

    @AfterAll
    static void stop() {
        clients.values().forEach(SdkClient::close);
        bed.close();
    }

    static List<Arguments> pairs() {
        List<Arguments> out = new ArrayList<>();
        for (Sdk sdk : Sdk.values())
            for (String kind : SdkGateway.KINDS)
                if (!sdk.sameApi(kind))
                    for (boolean stream : new boolean[] {false, true})
                        for (boolean tool : new boolean[] {false, true}) out.add(Arguments.of(sdk, kind, stream, tool));
        return out;
    }

    @ParameterizedTest(name = "{0} SDK -> {1}, stream={2}, tool={3}")
    @MethodSource("pairs")
    void aCall_isTranslated_andDecodedBySdk_asIfItsOwnApiAnswered(Sdk sdk, String kind, boolean stream, boolean tool) {
        SdkClient c = clients.get(sdk);
        SdkReply r = tool ? c.tool("via-" + kind, stream) : c.text("via-" + kind, stream);
        SdkAssert.decoded(c, r, stream, tool);
    }
}
