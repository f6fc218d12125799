package dev.llmlab.bench.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.api.client.ClientApi;
import dev.llmlab.bench.load.Arrivals;
import dev.llmlab.bench.load.Schedule;
import dev.llmlab.bench.load.Workload;
import dev.llmlab.bench.run.LoadPlan;
import dev.llmlab.core.dist.Distributions;
import dev.llmlab.core.token.Tokenizers;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardTest {
    static final Workload PROMPTS = Workload.synthetic(
            ClientApi.OPENAI_CHAT,
            "gpt-4o-mini",
            true,
            16,
            Distributions.fixed(10),
            null,
            4,
            Tokenizers.forEncoding("o200k_base"),
            1);

    static LoadPlan closed(int users, long requests, int cap) {
        return new LoadPlan(users, 0, Arrivals.poisson(), cap, 0, requests, 0, 0, Schedule.Ramp.NONE, 0, 7);
    }

    static LoadPlan open(double rate, double seconds, int cap) {
        return new LoadPlan(0, rate, Arrivals.poisson(), cap, seconds, 0, 0, 0, Schedule.Ramp.NONE, 0, 7);
    }

    @Test
    void parse_takesIOfN_andRefusesAnythingElse() {
        assertThat(Shard.parse(" 1 / 3 ")).isEqualTo(new Shard(1, 3));
        assertThat(Shard.parse("0/1").label()).isNull(); // the whole run
        assertThat(new Shard(2, 4).label()).isEqualTo("2/4");
        for (String bad : new String[] {"3", "3/3", "-1/2", "a/b", "1/0", "1/2/3"}) {
            assertThatThrownBy(() -> Shard.parse(bad))
                    .as(bad)
                    .isInstanceOf(BenchException.class)
                    .hasMessage("--shard must be I/N with 0 <= I < N, got '" + bad + "'")
                    .extracting(e -> ((BenchException) e).kind())
                    .isEqualTo(BenchException.Kind.USAGE);
        }
    }

    @Test
    void aClosedLoop_isSplitIntoUsersAndRequests_theFirstShardsTakingTheRest() {
        int users = 0;
        long requests = 0;
        for (int i = 0; i < 3; i++) {
            Shard.Part p = new Shard(i, 3).of(closed(8, 100, 0), PROMPTS, null);
            assertThat(p.workload().get(0)).isSameAs(PROMPTS.get(i)); // every third prompt, from its own
            assertThat(p.plan().openLoop()).isFalse();
            assertThat(p.schedule()).isNull();
            users += p.plan().concurrency();
            requests += p.plan().maxRequests();
            assertThat(p.plan().concurrency()).isEqualTo(i < 2 ? 3 : 2);
        }
        assertThat(users).isEqualTo(8);
        assertThat(requests).isEqualTo(100);
        assertThatThrownBy(() -> new Shard(0, 3).of(closed(2, 10, 0), PROMPTS, null))
                .hasMessage("--concurrency 2 cannot be split into 3 shards");
    }

    @Test
    void anOpenLoop_keepsEachRequestsTime_atAShareOfTheRate() {
        LoadPlan plan = open(40, 10, 7);
        Schedule whole = Schedule.open(40, Arrivals.poisson(), 10, 0, Schedule.Ramp.NONE, 0, 7);
        Set<Long> times = new HashSet<>();
        int sent = 0;
        for (int i = 0; i < 4; i++) {
            Shard.Part p = new Shard(i, 4).of(plan, PROMPTS, null);
            assertThat(p.plan().rate()).isEqualTo(10.0);
            assertThat(p.plan().maxConcurrency()).isEqualTo(2); // ceil(7 / 4)
            assertThat(p.plan().maxRequests()).isEqualTo(p.schedule().size());
            for (int k = 0; k < p.schedule().size(); k++) {
                assertThat(p.schedule().offsetNanos(k)).isEqualTo(whole.offsetNanos(i + 4 * k));
                times.add(p.schedule().offsetNanos(k));
            }
            sent += p.schedule().size();
        }
        assertThat(sent).isEqualTo(whole.size()); // together, the whole schedule
        assertThat(times).hasSize(whole.size());
    }

    @Test
    void aTrace_isDealtAsItIs_andTheWholeRunIsLeftAlone() {
        Schedule trace = Schedule.of(new long[] {0, 10, 20, 30, 40});
        Shard.Part p = new Shard(1, 2).of(closed(1, 5, 0), PROMPTS, trace);
        assertThat(p.schedule().size()).isEqualTo(2);
        assertThat(p.schedule().offsetNanos(1)).isEqualTo(30);
        LoadPlan plan = closed(4, 10, 0);
        assertThat(Shard.WHOLE.of(plan, PROMPTS, trace)).isEqualTo(new Shard.Part(plan, PROMPTS, trace));
    }
}
