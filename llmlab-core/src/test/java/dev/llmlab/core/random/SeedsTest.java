package dev.llmlab.core.random;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class SeedsTest {

    @Test
    void splitmix64_matchesReferenceSequence() {
        // First outputs of the reference SplitMix64 (Vigna's splitmix64.c) seeded with 0: each
        // call adds the golden gamma to the state, which splitmix64(x) does to its argument.
        assertThat(Seeds.splitmix64(0)).isEqualTo(0xE220A8397B1DCDAFL);
        assertThat(Seeds.splitmix64(0x9E3779B97F4A7C15L)).isEqualTo(0x6E789E6AA1B965F4L);
    }

    @Test
    void splitmix64_nearbyInputs_giveUnrelatedOutputs() {
        long totalFlipped = 0;
        for (long x = 0; x < 1000; x++) {
            totalFlipped += Long.bitCount(Seeds.splitmix64(x) ^ Seeds.splitmix64(x + 1));
        }
        assertThat(totalFlipped / 1000.0).isBetween(30.0, 34.0);
    }

    @Test
    void mix_isDeterministicAndOrderSensitive() {
        assertThat(Seeds.mix(42, 1, 2)).isEqualTo(Seeds.mix(42, 1, 2));
        assertThat(Seeds.mix(42, 1, 2)).isNotEqualTo(Seeds.mix(42, 2, 1));
        assertThat(Seeds.mix(42, 1)).isNotEqualTo(Seeds.mix(42, 1, 0));
        assertThat(Seeds.mix(42)).isNotEqualTo(42L);
        assertThat(Seeds.mix(42, 7)).isNotEqualTo(Seeds.mix(43, 7));
    }

    @Test
    void mix_consecutiveParts_giveDistinctWellSpreadSeeds() {
        Set<Long> seen = new HashSet<>();
        long totalFlipped = 0;
        for (long request = 0; request < 10_000; request++) {
            assertThat(seen.add(Seeds.mix(1, request))).isTrue();
            totalFlipped += Long.bitCount(Seeds.mix(1, request) ^ Seeds.mix(1, request + 1));
        }
        assertThat(totalFlipped / 10_000.0).isBetween(31.0, 33.0);
    }

    @Test
    void hash64_isStableAcrossRuns() {
        // Pinned values: a change here silently changes every seeded run derived from a name.
        assertThat(Seeds.hash64("gpt-4o")).isEqualTo(0x4C8288D283F1F3B7L);
        assertThat(Seeds.hash64(new StringBuilder("gpt-4o"))).isEqualTo(0x4C8288D283F1F3B7L);
        assertThat(Seeds.hash64("")).isEqualTo(Seeds.splitmix64(0xCBF29CE484222325L));
    }

    @Test
    void hash64_followsDefinition() {
        // FNV-1a 64 over UTF-16 code units, then splitmix64 of (h ^ length).
        String s = "héllo 🎉";
        long h = 0xCBF29CE484222325L;
        for (char c : s.toCharArray()) {
            h = (h ^ c) * 0x100000001B3L;
        }
        assertThat(Seeds.hash64(s)).isEqualTo(Seeds.splitmix64(h ^ s.length()));
    }

    @Test
    void mix_isStableAcrossRuns() {
        assertThat(Seeds.mix(42, 1, 2)).isEqualTo(0x80ECBBFDB2ADA339L);
    }

    @Test
    void hash64_oneCharacterChange_flipsAboutHalfTheBits() {
        long totalFlipped = 0;
        int n = 0;
        for (int i = 0; i < 2000; i++) {
            String a = "request-" + i;
            String b = "request-" + (i + 1);
            totalFlipped += Long.bitCount(Seeds.hash64(a) ^ Seeds.hash64(b));
            n++;
        }
        assertThat(totalFlipped / (double) n).isBetween(30.0, 34.0);
        assertThat(Seeds.hash64("ab")).isNotEqualTo(Seeds.hash64("ba"));
    }

    @Test
    void rng_sameSeed_sameStream() {
        RandomGenerator a = Seeds.rng(7);
        RandomGenerator b = Seeds.rng(7);
        for (int i = 0; i < 100; i++) {
            assertThat(a.nextLong()).isEqualTo(b.nextLong());
        }
    }

    @Test
    void rng_streamIsStableAcrossRunsAndJdks() {
        // Checked identical on JDK 17 and 25: seeded runs replay across JDK upgrades.
        RandomGenerator r = Seeds.rng(42);
        assertThat(r.nextLong()).isEqualTo(0xB2482DED0BA7AC12L);
        assertThat(r.nextLong()).isEqualTo(0xABC6A30A803E9910L);
        assertThat(r.nextGaussian()).isEqualTo(-1.2230970361954625);
        assertThat(r.nextExponential()).isEqualTo(0.3456768360085999);
    }

    @Test
    void rng_differentSeeds_differentStreams() {
        assertThat(Seeds.rng(7).nextLong()).isNotEqualTo(Seeds.rng(8).nextLong());
        double sum = 0;
        RandomGenerator r = Seeds.rng(1);
        for (int i = 0; i < 100_000; i++) {
            sum += r.nextDouble();
        }
        assertThat(sum / 100_000).isBetween(0.49, 0.51);
    }

    @Test
    void randomSeed_variesPerCall() {
        Set<Long> seeds = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            seeds.add(Seeds.randomSeed());
        }
        assertThat(seeds).hasSize(1000);
    }

    @Test
    void mix_fixedArityOverloads_equalTheVarargsForm() {
        for (long seed = -3; seed < 50; seed++) {
            long a = seed * 31 + 7;
            long b = ~seed;
            long c = seed << 17;
            assertThat(Seeds.mix(seed, a)).isEqualTo(Seeds.mix(seed, new long[] {a}));
            assertThat(Seeds.mix(seed, a, b)).isEqualTo(Seeds.mix(seed, new long[] {a, b}));
            assertThat(Seeds.mix(seed, a, b, c)).isEqualTo(Seeds.mix(seed, new long[] {a, b, c}));
        }
    }
}
