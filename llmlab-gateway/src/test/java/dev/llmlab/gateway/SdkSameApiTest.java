package dev.llmlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official OpenAI, Anthropic and Google Gen AI SDKs, unchanged, calling through the gateway to
 * a provider of their own API, so that bodies pass through: the OpenAI SDK to the openai,
 * azure-openai and openai-compatible kinds, the Anthropic SDK to anthropic, the Gen AI SDK to
 * gemini. Each whole and streamed, plain text and with a forced tool call. Every SDK sends the
 * gateway's client key its own way ({@code Authorization: Bearer}, {@code x-api-key}, {@code
 * x-goog-api-key}); the gateway sends the simulator its own key.
 */
class SdkSameApiTest {
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
                if (sdk.sameApi(kind))
                    for (boolean stream : new boolean[] {false, true})
                        for (boolean tool : new boolean[] {false, true}) out.add(Arguments.of(sdk, kind, stream, tool));
        return out;
    }

    @ParameterizedTest(name = "{0} SDK -> {1}, stream={2}, tool={3}")
    @MethodSource("pairs")
    void aCall_isDecodedBySdk_asItsProviderAnswered(Sdk sdk, String kind, boolean stream, boolean tool) {
        SdkClient c = clients.get(sdk);
        int azureBefore = bed.azureSeen.size();
        SdkReply r = tool ? c.tool("via-" + kind, stream) : c.text("via-" + kind, stream);
        SdkAssert.decoded(c, r, stream, tool);
        if (kind.equals("azure-openai"))
            assertThat(bed.azureSeen.subList(azureBefore, bed.azureSeen.size()))
                    .containsExactly("/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21"
                            + " api-key=" + SdkGateway.PROVIDER_KEY);
    }

    @ParameterizedTest
    @EnumSource(Sdk.class)
    void aWrongClientKey_isTheSdksOwnAuthenticationError(Sdk sdk) {
        try (SdkClient c = bed.client(sdk, "not-the-key")) {
            String model = "via-" + (sdk == Sdk.OPENAI ? "openai-compatible" : sdk.api);
            switch (sdk) {
                case OPENAI ->
                    assertThatThrownBy(() -> c.text(model, false))
                            .isInstanceOf(com.openai.errors.UnauthorizedException.class)
                            .hasMessageContaining("a valid API key is required");
                case ANTHROPIC ->
                    assertThatThrownBy(() -> c.text(model, false))
                            .isInstanceOf(com.anthropic.errors.UnauthorizedException.class)
                            .hasMessageContaining("a valid API key is required");
                case GENAI ->
                    assertThatThrownBy(() -> c.text(model, false))
                            .isInstanceOfSatisfying(
                                    com.google.genai.errors.ClientException.class,
                                    e -> assertThat(e.code()).isEqualTo(401))
                            .hasMessageContaining("a valid API key is required");
            }
        }
    }
}
