// Generated from llmlab/builtin.yaml by BuiltinCatalogDataTest. Do not edit: edit the YAML, then
// ./build -pl llmlab-sim -am test -Dtest=BuiltinCatalogDataTest -Dllmlab.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false
package dev.llmlab.sim.catalog;

import dev.llmlab.core.dist.Distributions;
import dev.llmlab.core.dist.Distributions.Unit;
import dev.llmlab.sim.config.*;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in catalog as builder calls. Binding the YAML with Jackson on a cold JVM was the
 * longest step of a simulator's start (about 200 ms of the first answer on two cores); these
 * calls take well under a millisecond. The YAML stays the source and the documentation.
 */
final class BuiltinCatalogData {
    private BuiltinCatalogData() {}

    static SimConfig config() {
        return SimConfig.builder()
                .profiles(profiles())
                .models(models())
                .enginePresets(enginePresets())
                .build();
    }

    private static Map<String, ProfileConfig> profiles() {
        Map<String, ProfileConfig> m = new LinkedHashMap<>();
        m.put("instant", new ProfileConfig(
                Distributions.parse("fixed(value=0)", Unit.SECONDS),
                Distributions.parse("fixed(value=0)", Unit.SECONDS),
                null));
        m.put("fast", new ProfileConfig(
                Distributions.parse("lognormal(p50=50ms,p99=150ms)", Unit.SECONDS),
                Distributions.parse("lognormal(p50=5ms,p99=15ms)", Unit.SECONDS),
                null));
        m.put("gpt-4o", new ProfileConfig(
                Distributions.parse("lognormal(p50=450ms,p99=1.6s)", Unit.SECONDS),
                Distributions.parse("lognormal(p50=10ms,p99=35ms)", Unit.SECONDS),
                Duration.of(20, ChronoUnit.MICROS)));
        m.put("gpt-4o-mini", new ProfileConfig(
                Distributions.parse("lognormal(p50=400ms,p99=1.4s)", Unit.SECONDS),
                Distributions.parse("lognormal(p50=14ms,p99=45ms)", Unit.SECONDS),
                Duration.of(10, ChronoUnit.MICROS)));
        m.put("gpt-4.1", new ProfileConfig(
                Distributions.parse("lognormal(p50=500ms,p99=1.8s)", Unit.SECONDS),
                Distributions.parse("lognormal(p50=11ms,p99=40ms)", Unit.SECONDS),
                Duration.of(20, ChronoUnit.MICROS)));
        m.put("gpt-4.1-mini", new ProfileConfig(
                Distributions.parse("lognormal(p50=400ms,p99=1.4s)", Unit.SECONDS),
                Distributions.parse("lognormal(p50=9ms,p99=30ms)", Unit.SECONDS),
                Duration.of(10, ChronoUnit.MICROS)));
        m.put("gpt-4.1-nano", new ProfileConfig(
                Distributions.parse("lognormal(p50=300ms,p99=1s)", Unit.SECONDS),
                Distributions.parse("lognormal(p50=6ms,p99=20ms)", Unit.SECONDS),
                Duration.of(5, ChronoUnit.MICROS)));
        m.put("reasoning", new ProfileConfig(
                Distributions.parse("lognormal(p50=4s,p99=25s)", Unit.SECONDS),
                Distributions.parse("lognormal(p50=9ms,p99=30ms)", Unit.SECONDS),
                Duration.of(20, ChronoUnit.MICROS)));
        m.put("reasoning-mini", new ProfileConfig(
                Distributions.parse("lognormal(p50=2.5s,p99=15s)", Unit.SECONDS),
                Distributions.parse("lognormal(p50=7ms,p99=25ms)", Unit.SECONDS),
                Duration.of(10, ChronoUnit.MICROS)));
        m.put("gpt-4-legacy", new ProfileConfig(
                Distributions.parse("lognormal(p50=700ms,p99=2.5s)", Unit.SECONDS),
                Distributions.parse("lognormal(p50=30ms,p99=90ms)", Unit.SECONDS),
                Duration.of(30, ChronoUnit.MICROS)));
        m.put("gpt-3.5", new ProfileConfig(
                Distributions.parse("lognormal(p50=350ms,p99=1.2s)", Unit.SECONDS),
                Distributions.parse("lognormal(p50=12ms,p99=40ms)", Unit.SECONDS),
                Duration.of(10, ChronoUnit.MICROS)));
        m.put("claude-sonnet", new ProfileConfig(
                Distributions.parse("lognormal(p50=1.2s,p99=4s)", Unit.SECONDS),
                Distributions.parse("lognormal(p50=15ms,p99=45ms)", Unit.SECONDS),
                Duration.of(20, ChronoUnit.MICROS)));
        m.put("claude-opus", new ProfileConfig(
                Distributions.parse("lognormal(p50=1.8s,p99=6s)", Unit.SECONDS),
                Distributions.parse("lognormal(p50=25ms,p99=70ms)", Unit.SECONDS),
                Duration.of(30, ChronoUnit.MICROS)));
        m.put("claude-haiku", new ProfileConfig(
                Distributions.parse("lognormal(p50=600ms,p99=2s)", Unit.SECONDS),
                Distributions.parse("lognormal(p50=9ms,p99=28ms)", Unit.SECONDS),
                Duration.of(10, ChronoUnit.MICROS)));
        m.put("gemini-pro", new ProfileConfig(
                Distributions.parse("lognormal(p50=2.5s,p99=12s)", Unit.SECONDS),
                Distributions.parse("lognormal(p50=7ms,p99=25ms)", Unit.SECONDS),
                Duration.of(10, ChronoUnit.MICROS)));
        m.put("gemini-flash", new ProfileConfig(
                Distributions.parse("lognormal(p50=600ms,p99=3s)", Unit.SECONDS),
                Distributions.parse("lognormal(p50=4ms,p99=15ms)", Unit.SECONDS),
                Duration.of(5, ChronoUnit.MICROS)));
        m.put("embedding", new ProfileConfig(
                Distributions.parse("lognormal(p50=80ms,p99=400ms)", Unit.SECONDS),
                Distributions.parse("fixed(value=0)", Unit.SECONDS),
                Duration.of(2, ChronoUnit.MICROS)));
        return m;
    }

    private static List<ModelConfig> models() {
        return List.of(
                ModelConfig.builder()
                        .id("gpt-4o")
                        .aliases(List.of(
                                "gpt-4o-2024-05-13",
                                "gpt-4o-2024-08-06",
                                "gpt-4o-2024-11-20",
                                "chatgpt-4o-latest",
                                "gpt-4o-search-preview",
                                "gpt-4o-search-preview-2025-03-11",
                                "gpt-4o-audio-preview",
                                "gpt-4o-audio-preview-2024-10-01",
                                "gpt-4o-audio-preview-2024-12-17",
                                "gpt-4o-audio-preview-2025-06-03"))
                        .created(1715367049L)
                        .encoding("o200k_base")
                        .contextWindow(128000)
                        .maxOutputTokens(16384)
                        .profile("gpt-4o")
                        .build(),
                ModelConfig.builder()
                        .id("gpt-4o-mini")
                        .aliases(List.of(
                                "gpt-4o-mini-2024-07-18",
                                "gpt-4o-mini-search-preview",
                                "gpt-4o-mini-search-preview-2025-03-11",
                                "gpt-4o-mini-audio-preview",
                                "gpt-4o-mini-audio-preview-2024-12-17",
                                "gpt-audio-mini",
                                "gpt-audio-mini-2025-12-15"))
                        .created(1721172741L)
                        .encoding("o200k_base")
                        .contextWindow(128000)
                        .maxOutputTokens(16384)
                        .profile("gpt-4o-mini")
                        .build(),
                ModelConfig.builder()
                        .id("gpt-4.1")
                        .aliases(List.of("gpt-4.1-2025-04-14"))
                        .created(1744316542L)
                        .encoding("o200k_base")
                        .contextWindow(1047576)
                        .maxOutputTokens(32768)
                        .profile("gpt-4.1")
                        .build(),
                ModelConfig.builder()
                        .id("gpt-4.1-mini")
                        .aliases(List.of("gpt-4.1-mini-2025-04-14"))
                        .created(1744318173L)
                        .encoding("o200k_base")
                        .contextWindow(1047576)
                        .maxOutputTokens(32768)
                        .profile("gpt-4.1-mini")
                        .build(),
                ModelConfig.builder()
                        .id("gpt-4.1-nano")
                        .aliases(List.of("gpt-4.1-nano-2025-04-14"))
                        .created(1744321707L)
                        .encoding("o200k_base")
                        .contextWindow(1047576)
                        .maxOutputTokens(32768)
                        .profile("gpt-4.1-nano")
                        .build(),
                ModelConfig.builder()
                        .id("o1")
                        .aliases(List.of("o1-2024-12-17", "o1-preview", "o1-preview-2024-09-12"))
                        .created(1734375816L)
                        .encoding("o200k_base")
                        .contextWindow(200000)
                        .maxOutputTokens(100000)
                        .profile("reasoning")
                        .build(),
                ModelConfig.builder()
                        .id("o1-mini")
                        .aliases(List.of("o1-mini-2024-09-12"))
                        .created(1725649008L)
                        .encoding("o200k_base")
                        .contextWindow(128000)
                        .maxOutputTokens(65536)
                        .profile("reasoning-mini")
                        .build(),
                ModelConfig.builder()
                        .id("o3")
                        .aliases(List.of("o3-2025-04-16"))
                        .created(1744225308L)
                        .encoding("o200k_base")
                        .contextWindow(200000)
                        .maxOutputTokens(100000)
                        .profile("reasoning")
                        .build(),
                ModelConfig.builder()
                        .id("o3-mini")
                        .aliases(List.of("o3-mini-2025-01-31"))
                        .created(1737146383L)
                        .encoding("o200k_base")
                        .contextWindow(200000)
                        .maxOutputTokens(100000)
                        .profile("reasoning-mini")
                        .build(),
                ModelConfig.builder()
                        .id("o4-mini")
                        .aliases(List.of("o4-mini-2025-04-16", "codex-mini-latest"))
                        .created(1744225351L)
                        .encoding("o200k_base")
                        .contextWindow(200000)
                        .maxOutputTokens(100000)
                        .profile("reasoning-mini")
                        .build(),
                ModelConfig.builder()
                        .id("gpt-5")
                        .aliases(List.of(
                                "gpt-5-2025-08-07",
                                "gpt-5-chat-latest",
                                "gpt-5.1",
                                "gpt-5.1-2025-11-13",
                                "gpt-5.1-chat-latest",
                                "gpt-5.1-codex",
                                "gpt-5.2",
                                "gpt-5.2-2025-12-11",
                                "gpt-5.2-chat-latest",
                                "gpt-5.2-pro",
                                "gpt-5.2-pro-2025-12-11",
                                "gpt-5.3-chat-latest",
                                "gpt-5.4",
                                "gpt-5.5",
                                "gpt-5.5-2026-04-23",
                                "gpt-5.6-sol",
                                "gpt-5.6-terra",
                                "gpt-6-sol",
                                "gpt-6-astra",
                                "gpt-6.1-sol",
                                "gpt-6.1-terra"))
                        .created(1754425777L)
                        .encoding("o200k_base")
                        .contextWindow(400000)
                        .maxOutputTokens(128000)
                        .profile("reasoning")
                        .build(),
                ModelConfig.builder()
                        .id("gpt-5-mini")
                        .aliases(List.of(
                                "gpt-5-mini-2025-08-07",
                                "gpt-5.1-mini",
                                "gpt-5.4-mini",
                                "gpt-5.4-mini-2026-03-17",
                                "gpt-5.6-luna",
                                "gpt-6-luna"))
                        .created(1754425928L)
                        .encoding("o200k_base")
                        .contextWindow(400000)
                        .maxOutputTokens(128000)
                        .profile("reasoning-mini")
                        .build(),
                ModelConfig.builder()
                        .id("gpt-5-nano")
                        .aliases(List.of("gpt-5-nano-2025-08-07", "gpt-5.4-nano", "gpt-5.4-nano-2026-03-17"))
                        .created(1754426384L)
                        .encoding("o200k_base")
                        .contextWindow(400000)
                        .maxOutputTokens(128000)
                        .profile("reasoning-mini")
                        .build(),
                ModelConfig.builder()
                        .id("gpt-4-turbo")
                        .aliases(List.of(
                                "gpt-4-turbo-2024-04-09",
                                "gpt-4-turbo-preview",
                                "gpt-4-0125-preview",
                                "gpt-4-1106-preview",
                                "gpt-4-vision-preview"))
                        .created(1712361441L)
                        .encoding("cl100k_base")
                        .contextWindow(128000)
                        .maxOutputTokens(4096)
                        .profile("gpt-4-legacy")
                        .build(),
                ModelConfig.builder()
                        .id("gpt-4")
                        .aliases(List.of("gpt-4-0613", "gpt-4-0314"))
                        .created(1687882411L)
                        .encoding("cl100k_base")
                        .contextWindow(8192)
                        .maxOutputTokens(8192)
                        .profile("gpt-4-legacy")
                        .build(),
                ModelConfig.builder()
                        .id("gpt-4-32k")
                        .aliases(List.of("gpt-4-32k-0314", "gpt-4-32k-0613"))
                        .created(1687979321L)
                        .encoding("cl100k_base")
                        .contextWindow(32768)
                        .maxOutputTokens(8192)
                        .profile("gpt-4-legacy")
                        .build(),
                ModelConfig.builder()
                        .id("gpt-3.5-turbo")
                        .aliases(List.of(
                                "gpt-3.5-turbo-0125",
                                "gpt-3.5-turbo-1106",
                                "gpt-3.5-turbo-0613",
                                "gpt-3.5-turbo-0301"))
                        .created(1677610602L)
                        .encoding("cl100k_base")
                        .contextWindow(16385)
                        .maxOutputTokens(4096)
                        .profile("gpt-3.5")
                        .build(),
                ModelConfig.builder()
                        .id("gpt-3.5-turbo-16k")
                        .aliases(List.of("gpt-3.5-turbo-16k-0613"))
                        .created(1683758102L)
                        .encoding("cl100k_base")
                        .contextWindow(16385)
                        .maxOutputTokens(4096)
                        .profile("gpt-3.5")
                        .build(),
                ModelConfig.builder()
                        .id("gpt-3.5-turbo-instruct")
                        .aliases(List.of("babbage-002", "davinci-002"))
                        .created(1692901427L)
                        .encoding("cl100k_base")
                        .contextWindow(4096)
                        .maxOutputTokens(4096)
                        .profile("gpt-3.5")
                        .build(),
                ModelConfig.builder()
                        .id("text-embedding-3-small")
                        .type("embedding")
                        .created(1705948997L)
                        .encoding("cl100k_base")
                        .contextWindow(8191)
                        .profile("embedding")
                        .dimensions(1536)
                        .build(),
                ModelConfig.builder()
                        .id("text-embedding-3-large")
                        .type("embedding")
                        .created(1705953180L)
                        .encoding("cl100k_base")
                        .contextWindow(8191)
                        .profile("embedding")
                        .dimensions(3072)
                        .build(),
                ModelConfig.builder()
                        .id("text-embedding-ada-002")
                        .type("embedding")
                        .created(1671217299L)
                        .encoding("cl100k_base")
                        .contextWindow(8191)
                        .profile("embedding")
                        .dimensions(1536)
                        .build(),
                ModelConfig.builder()
                        .id("claude-sonnet-4-5")
                        .aliases(List.of(
                                "claude-sonnet-4-5-20250929",
                                "claude-sonnet-4-0",
                                "claude-sonnet-4-20250514",
                                "claude-3-7-sonnet-latest",
                                "claude-3-7-sonnet-20250219",
                                "claude-sonnet-4-6",
                                "claude-sonnet-5",
                                "claude-sonnet-5-5"))
                        .created(1759104000L)
                        .encoding("cl100k_base")
                        .contextWindow(200000)
                        .maxOutputTokens(64000)
                        .profile("claude-sonnet")
                        .api("anthropic")
                        .build(),
                ModelConfig.builder()
                        .id("claude-opus-4-1")
                        .aliases(List.of(
                                "claude-opus-4-1-20250805",
                                "claude-opus-4-0",
                                "claude-opus-4-20250514",
                                "claude-opus-4-5",
                                "claude-opus-4-5-20251101",
                                "claude-opus-4-6",
                                "claude-opus-4-7",
                                "claude-opus-4-8",
                                "claude-opus-5",
                                "claude-opus-5-5",
                                "claude-mythos-5",
                                "claude-mythos-5-1",
                                "claude-mythos-5-2",
                                "claude-mythos-preview",
                                "claude-fable-5",
                                "claude-fable-5-1",
                                "claude-fable-5-2"))
                        .created(1754352000L)
                        .encoding("cl100k_base")
                        .contextWindow(200000)
                        .maxOutputTokens(32000)
                        .profile("claude-opus")
                        .api("anthropic")
                        .build(),
                ModelConfig.builder()
                        .id("claude-haiku-4-5")
                        .aliases(List.of(
                                "claude-haiku-4-5-20251001",
                                "claude-3-5-haiku-latest",
                                "claude-3-5-haiku-20241022",
                                "claude-haiku-5-5"))
                        .created(1759276800L)
                        .encoding("cl100k_base")
                        .contextWindow(200000)
                        .maxOutputTokens(64000)
                        .profile("claude-haiku")
                        .api("anthropic")
                        .build(),
                ModelConfig.builder()
                        .id("gemini-2.5-pro")
                        .created(1750118400L)
                        .encoding("cl100k_base")
                        .contextWindow(1048576)
                        .maxOutputTokens(65536)
                        .profile("gemini-pro")
                        .api("gemini")
                        .build(),
                ModelConfig.builder()
                        .id("gemini-2.5-flash")
                        .aliases(List.of(
                                "gemini-2.5-flash-lite",
                                "gemini-flash-latest",
                                "gemini-flash-lite-latest",
                                "gemini-2.0-flash",
                                "gemini-2.0-flash-001",
                                "gemini-2.0-flash-lite"))
                        .created(1750118400L)
                        .encoding("cl100k_base")
                        .contextWindow(1048576)
                        .maxOutputTokens(65536)
                        .profile("gemini-flash")
                        .api("gemini")
                        .build(),
                ModelConfig.builder()
                        .id("meta-llama/Llama-3.1-8B-Instruct")
                        .aliases(List.of("meta-llama/Meta-Llama-3.1-8B-Instruct"))
                        .ownedBy("vllm")
                        .created(1721692800L)
                        .encoding("cl100k_base")
                        .contextWindow(131072)
                        .maxOutputTokens(131072)
                        .engine(EngineConfig.builder()
                                .preset("llama-3.1-8b-h100")
                                .build())
                        .build(),
                ModelConfig.builder()
                        .id("meta-llama/Llama-3.1-70B-Instruct")
                        .aliases(List.of("meta-llama/Meta-Llama-3.1-70B-Instruct"))
                        .ownedBy("vllm")
                        .created(1721692800L)
                        .encoding("cl100k_base")
                        .contextWindow(131072)
                        .maxOutputTokens(131072)
                        .engine(EngineConfig.builder()
                                .preset("llama-3.1-70b-h100-tp4")
                                .build())
                        .build());
    }

    private static Map<String, EngineConfig> enginePresets() {
        Map<String, EngineConfig> m = new LinkedHashMap<>();
        m.put("llama-3.1-8b-h100", EngineConfig.builder()
                .replicas(1)
                .routing("least_outstanding")
                .maxNumSeqs(1024)
                .maxNumBatchedTokens(8192)
                .maxWaiting(4096)
                .numBlocks(27500)
                .blockSize(16)
                .prefixCaching(true)
                .chunkedPrefill(true)
                .stepTime(Duration.ofMillis(6))
                .prefillPerToken(Duration.of(27, ChronoUnit.MICROS))
                .decodePerSeq(Duration.of(50, ChronoUnit.MICROS))
                .attentionPerKvToken(Duration.ofNanos(50))
                .jitter(0.02)
                .build());
        m.put("llama-3.1-70b-h100-tp4", EngineConfig.builder()
                .replicas(1)
                .routing("least_outstanding")
                .maxNumSeqs(1024)
                .maxNumBatchedTokens(8192)
                .maxWaiting(4096)
                .numBlocks(29000)
                .blockSize(16)
                .prefixCaching(true)
                .chunkedPrefill(true)
                .stepTime(Duration.ofMillis(15))
                .prefillPerToken(Duration.of(70, ChronoUnit.MICROS))
                .decodePerSeq(Duration.of(120, ChronoUnit.MICROS))
                .attentionPerKvToken(Duration.ofNanos(35))
                .jitter(0.02)
                .build());
        return m;
    }
}
