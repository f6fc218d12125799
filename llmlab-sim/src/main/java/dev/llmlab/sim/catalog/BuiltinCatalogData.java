// Generated from llmlab/builtin.yaml by BuiltinCatalogDataTest. Do not edit: edit the YAML, then
// ./build -pl llmlab-sim -am test -Dtest=BuiltinCatalogDataTest -Dllmlab.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false
package dev.llmlab.sim.catalog;

import dev.llmlab.core.dist.Distributions;
import dev.llmlab.core.dist.Distributions.Unit;
import dev.llmlab.sim.config.*;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in catalog as constructor calls. Binding the YAML with Jackson on a cold JVM was the
 * longest step of a simulator's start (about 200 ms of the first answer on two cores); these
 * calls take well under a millisecond. The YAML stays the source and the documentation.
 */
final class BuiltinCatalogData {
  private BuiltinCatalogData() {}

  static SimConfig config() {
    return new SimConfig(null, null, null, null, null, profiles(), models(), null, null, null, null, null, null, map(
                "llama-3.1-8b-h100", new EngineConfig(null, 1, "least_outstanding", 1024, 8192, 4096, 27500, 16, true, true, Duration.ofNanos(6000000L), Duration.ofNanos(27000L), Duration.ofNanos(50000L), Duration.ofNanos(50L), 0.02),
                "llama-3.1-70b-h100-tp4", new EngineConfig(null, 1, "least_outstanding", 1024, 8192, 4096, 29000, 16, true, true, Duration.ofNanos(15000000L), Duration.ofNanos(70000L), Duration.ofNanos(120000L), Duration.ofNanos(35L), 0.02)));
  }

  private static Map<String, ProfileConfig> profiles() {
    Map<String, ProfileConfig> m = new LinkedHashMap<>();
    m.put("instant", new ProfileConfig(Distributions.parse("fixed(value=0)", Unit.SECONDS), Distributions.parse("fixed(value=0)", Unit.SECONDS), null));
    m.put("fast", new ProfileConfig(Distributions.parse("lognormal(p50=50ms,p99=150ms)", Unit.SECONDS), Distributions.parse("lognormal(p50=5ms,p99=15ms)", Unit.SECONDS), null));
    m.put("gpt-4o", new ProfileConfig(Distributions.parse("lognormal(p50=450ms,p99=1.6s)", Unit.SECONDS), Distributions.parse("lognormal(p50=10ms,p99=35ms)", Unit.SECONDS), Duration.ofNanos(20000L)));
    m.put("gpt-4o-mini", new ProfileConfig(Distributions.parse("lognormal(p50=400ms,p99=1.4s)", Unit.SECONDS), Distributions.parse("lognormal(p50=14ms,p99=45ms)", Unit.SECONDS), Duration.ofNanos(10000L)));
    m.put("gpt-4.1", new ProfileConfig(Distributions.parse("lognormal(p50=500ms,p99=1.8s)", Unit.SECONDS), Distributions.parse("lognormal(p50=11ms,p99=40ms)", Unit.SECONDS), Duration.ofNanos(20000L)));
    m.put("gpt-4.1-mini", new ProfileConfig(Distributions.parse("lognormal(p50=400ms,p99=1.4s)", Unit.SECONDS), Distributions.parse("lognormal(p50=9ms,p99=30ms)", Unit.SECONDS), Duration.ofNanos(10000L)));
    m.put("gpt-4.1-nano", new ProfileConfig(Distributions.parse("lognormal(p50=300ms,p99=1s)", Unit.SECONDS), Distributions.parse("lognormal(p50=6ms,p99=20ms)", Unit.SECONDS), Duration.ofNanos(5000L)));
    m.put("reasoning", new ProfileConfig(Distributions.parse("lognormal(p50=4s,p99=25s)", Unit.SECONDS), Distributions.parse("lognormal(p50=9ms,p99=30ms)", Unit.SECONDS), Duration.ofNanos(20000L)));
    m.put("reasoning-mini", new ProfileConfig(Distributions.parse("lognormal(p50=2.5s,p99=15s)", Unit.SECONDS), Distributions.parse("lognormal(p50=7ms,p99=25ms)", Unit.SECONDS), Duration.ofNanos(10000L)));
    m.put("gpt-4-legacy", new ProfileConfig(Distributions.parse("lognormal(p50=700ms,p99=2.5s)", Unit.SECONDS), Distributions.parse("lognormal(p50=30ms,p99=90ms)", Unit.SECONDS), Duration.ofNanos(30000L)));
    m.put("gpt-3.5", new ProfileConfig(Distributions.parse("lognormal(p50=350ms,p99=1.2s)", Unit.SECONDS), Distributions.parse("lognormal(p50=12ms,p99=40ms)", Unit.SECONDS), Duration.ofNanos(10000L)));
    m.put("claude-sonnet", new ProfileConfig(Distributions.parse("lognormal(p50=1.2s,p99=4s)", Unit.SECONDS), Distributions.parse("lognormal(p50=15ms,p99=45ms)", Unit.SECONDS), Duration.ofNanos(20000L)));
    m.put("claude-opus", new ProfileConfig(Distributions.parse("lognormal(p50=1.8s,p99=6s)", Unit.SECONDS), Distributions.parse("lognormal(p50=25ms,p99=70ms)", Unit.SECONDS), Duration.ofNanos(30000L)));
    m.put("claude-haiku", new ProfileConfig(Distributions.parse("lognormal(p50=600ms,p99=2s)", Unit.SECONDS), Distributions.parse("lognormal(p50=9ms,p99=28ms)", Unit.SECONDS), Duration.ofNanos(10000L)));
    m.put("gemini-pro", new ProfileConfig(Distributions.parse("lognormal(p50=2.5s,p99=12s)", Unit.SECONDS), Distributions.parse("lognormal(p50=7ms,p99=25ms)", Unit.SECONDS), Duration.ofNanos(10000L)));
    m.put("gemini-flash", new ProfileConfig(Distributions.parse("lognormal(p50=600ms,p99=3s)", Unit.SECONDS), Distributions.parse("lognormal(p50=4ms,p99=15ms)", Unit.SECONDS), Duration.ofNanos(5000L)));
    m.put("embedding", new ProfileConfig(Distributions.parse("lognormal(p50=80ms,p99=400ms)", Unit.SECONDS), Distributions.parse("fixed(value=0)", Unit.SECONDS), Duration.ofNanos(2000L)));
    return m;
  }

  private static List<ModelConfig> models() {
    return List.of(
        new ModelConfig("gpt-4o", List.of("gpt-4o-2024-05-13", "gpt-4o-2024-08-06", "gpt-4o-2024-11-20", "chatgpt-4o-latest", "gpt-4o-search-preview", "gpt-4o-search-preview-2025-03-11", "gpt-4o-audio-preview", "gpt-4o-audio-preview-2024-10-01", "gpt-4o-audio-preview-2024-12-17", "gpt-4o-audio-preview-2025-06-03"), null, null, 1715367049L, "o200k_base", 128000, 16384, null, "gpt-4o", null, null, null, null, null),
        new ModelConfig("gpt-4o-mini", List.of("gpt-4o-mini-2024-07-18", "gpt-4o-mini-search-preview", "gpt-4o-mini-search-preview-2025-03-11", "gpt-4o-mini-audio-preview", "gpt-4o-mini-audio-preview-2024-12-17", "gpt-audio-mini", "gpt-audio-mini-2025-12-15"), null, null, 1721172741L, "o200k_base", 128000, 16384, null, "gpt-4o-mini", null, null, null, null, null),
        new ModelConfig("gpt-4.1", List.of("gpt-4.1-2025-04-14"), null, null, 1744316542L, "o200k_base", 1047576, 32768, null, "gpt-4.1", null, null, null, null, null),
        new ModelConfig("gpt-4.1-mini", List.of("gpt-4.1-mini-2025-04-14"), null, null, 1744318173L, "o200k_base", 1047576, 32768, null, "gpt-4.1-mini", null, null, null, null, null),
        new ModelConfig("gpt-4.1-nano", List.of("gpt-4.1-nano-2025-04-14"), null, null, 1744321707L, "o200k_base", 1047576, 32768, null, "gpt-4.1-nano", null, null, null, null, null),
        new ModelConfig("o1", List.of("o1-2024-12-17", "o1-preview", "o1-preview-2024-09-12"), null, null, 1734375816L, "o200k_base", 200000, 100000, null, "reasoning", null, null, null, null, null),
        new ModelConfig("o1-mini", List.of("o1-mini-2024-09-12"), null, null, 1725649008L, "o200k_base", 128000, 65536, null, "reasoning-mini", null, null, null, null, null),
        new ModelConfig("o3", List.of("o3-2025-04-16"), null, null, 1744225308L, "o200k_base", 200000, 100000, null, "reasoning", null, null, null, null, null),
        new ModelConfig("o3-mini", List.of("o3-mini-2025-01-31"), null, null, 1737146383L, "o200k_base", 200000, 100000, null, "reasoning-mini", null, null, null, null, null),
        new ModelConfig("o4-mini", List.of("o4-mini-2025-04-16", "codex-mini-latest"), null, null, 1744225351L, "o200k_base", 200000, 100000, null, "reasoning-mini", null, null, null, null, null),
        new ModelConfig("gpt-5", List.of("gpt-5-2025-08-07", "gpt-5-chat-latest", "gpt-5.1", "gpt-5.1-2025-11-13", "gpt-5.1-chat-latest", "gpt-5.1-codex", "gpt-5.2", "gpt-5.2-2025-12-11", "gpt-5.2-chat-latest", "gpt-5.2-pro", "gpt-5.2-pro-2025-12-11", "gpt-5.3-chat-latest", "gpt-5.4", "gpt-5.5", "gpt-5.5-2026-04-23", "gpt-5.6-sol", "gpt-5.6-terra", "gpt-6-sol", "gpt-6-astra", "gpt-6.1-sol", "gpt-6.1-terra"), null, null, 1754425777L, "o200k_base", 400000, 128000, null, "reasoning", null, null, null, null, null),
        new ModelConfig("gpt-5-mini", List.of("gpt-5-mini-2025-08-07", "gpt-5.1-mini", "gpt-5.4-mini", "gpt-5.4-mini-2026-03-17", "gpt-5.6-luna", "gpt-6-luna"), null, null, 1754425928L, "o200k_base", 400000, 128000, null, "reasoning-mini", null, null, null, null, null),
        new ModelConfig("gpt-5-nano", List.of("gpt-5-nano-2025-08-07", "gpt-5.4-nano", "gpt-5.4-nano-2026-03-17"), null, null, 1754426384L, "o200k_base", 400000, 128000, null, "reasoning-mini", null, null, null, null, null),
        new ModelConfig("gpt-4-turbo", List.of("gpt-4-turbo-2024-04-09", "gpt-4-turbo-preview", "gpt-4-0125-preview", "gpt-4-1106-preview", "gpt-4-vision-preview"), null, null, 1712361441L, "cl100k_base", 128000, 4096, null, "gpt-4-legacy", null, null, null, null, null),
        new ModelConfig("gpt-4", List.of("gpt-4-0613", "gpt-4-0314"), null, null, 1687882411L, "cl100k_base", 8192, 8192, null, "gpt-4-legacy", null, null, null, null, null),
        new ModelConfig("gpt-4-32k", List.of("gpt-4-32k-0314", "gpt-4-32k-0613"), null, null, 1687979321L, "cl100k_base", 32768, 8192, null, "gpt-4-legacy", null, null, null, null, null),
        new ModelConfig("gpt-3.5-turbo", List.of("gpt-3.5-turbo-0125", "gpt-3.5-turbo-1106", "gpt-3.5-turbo-0613", "gpt-3.5-turbo-0301"), null, null, 1677610602L, "cl100k_base", 16385, 4096, null, "gpt-3.5", null, null, null, null, null),
        new ModelConfig("gpt-3.5-turbo-16k", List.of("gpt-3.5-turbo-16k-0613"), null, null, 1683758102L, "cl100k_base", 16385, 4096, null, "gpt-3.5", null, null, null, null, null),
        new ModelConfig("gpt-3.5-turbo-instruct", List.of("babbage-002", "davinci-002"), null, null, 1692901427L, "cl100k_base", 4096, 4096, null, "gpt-3.5", null, null, null, null, null),
        new ModelConfig("text-embedding-3-small", null, "embedding", null, 1705948997L, "cl100k_base", 8191, null, null, "embedding", 1536, null, null, null, null),
        new ModelConfig("text-embedding-3-large", null, "embedding", null, 1705953180L, "cl100k_base", 8191, null, null, "embedding", 3072, null, null, null, null),
        new ModelConfig("text-embedding-ada-002", null, "embedding", null, 1671217299L, "cl100k_base", 8191, null, null, "embedding", 1536, null, null, null, null),
        new ModelConfig("claude-sonnet-4-5", List.of("claude-sonnet-4-5-20250929", "claude-sonnet-4-0", "claude-sonnet-4-20250514", "claude-3-7-sonnet-latest", "claude-3-7-sonnet-20250219", "claude-sonnet-4-6", "claude-sonnet-5", "claude-sonnet-5-5"), null, null, 1759104000L, "cl100k_base", 200000, 64000, null, "claude-sonnet", null, null, null, "anthropic", null),
        new ModelConfig("claude-opus-4-1", List.of("claude-opus-4-1-20250805", "claude-opus-4-0", "claude-opus-4-20250514", "claude-opus-4-5", "claude-opus-4-5-20251101", "claude-opus-4-6", "claude-opus-4-7", "claude-opus-4-8", "claude-opus-5", "claude-opus-5-5", "claude-mythos-5", "claude-mythos-5-1", "claude-mythos-5-2", "claude-mythos-preview", "claude-fable-5", "claude-fable-5-1", "claude-fable-5-2"), null, null, 1754352000L, "cl100k_base", 200000, 32000, null, "claude-opus", null, null, null, "anthropic", null),
        new ModelConfig("claude-haiku-4-5", List.of("claude-haiku-4-5-20251001", "claude-3-5-haiku-latest", "claude-3-5-haiku-20241022", "claude-haiku-5-5"), null, null, 1759276800L, "cl100k_base", 200000, 64000, null, "claude-haiku", null, null, null, "anthropic", null),
        new ModelConfig("gemini-2.5-pro", null, null, null, 1750118400L, "cl100k_base", 1048576, 65536, null, "gemini-pro", null, null, null, "gemini", null),
        new ModelConfig("gemini-2.5-flash", List.of("gemini-2.5-flash-lite", "gemini-flash-latest", "gemini-flash-lite-latest", "gemini-2.0-flash", "gemini-2.0-flash-001", "gemini-2.0-flash-lite"), null, null, 1750118400L, "cl100k_base", 1048576, 65536, null, "gemini-flash", null, null, null, "gemini", null),
        new ModelConfig("meta-llama/Llama-3.1-8B-Instruct", List.of("meta-llama/Meta-Llama-3.1-8B-Instruct"), null, "vllm", 1721692800L, "cl100k_base", 131072, 131072, null, null, null, null, null, null, new EngineConfig("llama-3.1-8b-h100", null, null, null, null, null, null, null, null, null, null, null, null, null, null)),
        new ModelConfig("meta-llama/Llama-3.1-70B-Instruct", List.of("meta-llama/Meta-Llama-3.1-70B-Instruct"), null, "vllm", 1721692800L, "cl100k_base", 131072, 131072, null, null, null, null, null, null, new EngineConfig("llama-3.1-70b-h100-tp4", null, null, null, null, null, null, null, null, null, null, null, null, null, null)));
  }

  /** An insertion-ordered map of alternating keys and values. */
  @SuppressWarnings("unchecked")
  private static <V> Map<String, V> map(Object... keysAndValues) {
    Map<String, V> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
    return m;
  }
}
