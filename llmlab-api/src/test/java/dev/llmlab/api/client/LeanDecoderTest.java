package dev.llmlab.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.api.FinishReason;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.Usage;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A lean decoder (no parser held between events) makes exactly the calls of the default one. */
class LeanDecoderTest {
    private static Recorder decode(ClientApi api, String fixture, boolean lean) {
        Recorder r = new Recorder();
        GenerationRequest req = new Simulated(
                        Collections.nCopies(1, Simulated.Planned.text(FinishReason.STOP, null, "x")),
                        new Usage(0, 0, 0))
                .request(ClientRoundTripTest.endpoint(api), true);
        StreamDecoder d = api.codec().streamDecoder(req, r, lean);
        List<byte[]> events = Simulated.events(GoldenFixturesTest.fixture(fixture));
        for (byte[] e : events) d.event(e, 0, e.length);
        assertThat(d.ended()).isTrue();
        return r;
    }

    @ParameterizedTest
    @CsvSource({
        "OPENAI_CHAT, openai-chat-tool-calls.sse",
        "ANTHROPIC_MESSAGES, anthropic-text-tool-use.sse",
        "ANTHROPIC_MESSAGES, anthropic-thinking-tool-use.sse",
        "GEMINI, gemini-function-calls.sse",
        "OPENAI_RESPONSES, responses-function-call.sse"
    })
    void lean_makesTheSameCalls(ClientApi api, String fixture) {
        assertThat(decode(api, fixture, true).calls).isEqualTo(decode(api, fixture, false).calls);
    }

    @ParameterizedTest
    @CsvSource({"OPENAI_CHAT", "ANTHROPIC_MESSAGES", "GEMINI", "OPENAI_RESPONSES"})
    void lean_aBadEvent_isMalformed_andTheNextIsReadAfresh(ClientApi api) {
        Recorder r = new Recorder();
        GenerationRequest req = new Simulated(
                        Collections.nCopies(1, Simulated.Planned.text(FinishReason.STOP, null, "x")),
                        new Usage(0, 0, 0))
                .request(ClientRoundTripTest.endpoint(api), true);
        StreamDecoder d = api.codec().streamDecoder(req, r, true);
        for (String bad : new String[] {"{\"a\":", "[1]", "{} {}"}) {
            byte[] b = bad.getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> d.event(b, 0, b.length)).isInstanceOf(MalformedAnswerException.class);
        }
    }
}
