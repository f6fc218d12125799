package dev.llmlab.jsonschema;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Property test over many random schemas: every generated instance validates, and our validator agrees with an
 * independent implementation (networknt json-schema-validator 3, Jackson 3 based, draft 2020-12 with format
 * assertions on) on the generated instances and on mutations of them.
 */
class JsonSchemaPropertyTest {

    /** Raise for a soak run: -Djsonschema.schemas=20000 (with -DargLine if surefire forks). */
    private static final int SCHEMAS = Integer.getInteger("jsonschema.schemas", 250);

    private static final long FIRST_SEED = Long.getLong("jsonschema.firstSeed", 0);
    private static final int INSTANCES = 20;
    private static final int MUTANTS = 20;

    private static final SchemaRegistry NETWORKNT = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaRegistryConfig(
                    SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    private static final AtomicInteger COMPILED = new AtomicInteger();
    private static final AtomicInteger REFUSED = new AtomicInteger();

    static LongStream seeds() {
        return LongStream.range(FIRST_SEED, FIRST_SEED + SCHEMAS);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void generate_randomSchema_validatesHereAndInNetworknt(long seed) {
        ObjectNode doc = RandomSchemas.schema(seed);
        JsonSchema ours;
        try {
            ours = JsonSchema.compile(doc);
        } catch (SchemaException e) {
            // only ever for contradictions (or, found by trial, no instance the generator can reach)
            assertThat(e.getMessage())
                    .as("schema %s", doc)
                    .containsAnyOf("admits no valid instance", "no valid instance could be generated");
            REFUSED.incrementAndGet();
            return;
        }
        COMPILED.incrementAndGet();
        Schema theirs = NETWORKNT.getSchema(doc);
        SplittableRandom rng = new SplittableRandom(seed * 31 + 7);
        for (int i = 0; i < INSTANCES; i++) {
            JsonNode v = ours.generate(rng);
            assertThat(ours.validate(v)).as("schema %s%ninstance %s", doc, v).isEmpty();
            assertThat(messages(theirs.validate(v)))
                    .as("networknt on schema %s%ninstance %s", doc, v)
                    .isEmpty();
            for (int m = 0; m < MUTANTS / INSTANCES + 1; m++) {
                // through text, as on the wire: networknt compares numbers with JsonNode.equals, so an IntNode and a
                // LongNode (or 1 and 1.0) of equal value differ for it, against 2020-12 section 4.2.2
                JsonNode mutant = JsonMapper.shared().readTree(mutate(v, rng).toString());
                boolean oursValid = ours.validate(mutant).isEmpty();
                List<String> theirErrors = messages(theirs.validate(mutant));
                assertThat(oursValid)
                        .as(
                                "verdicts differ on schema %s%nmutant %s%nours %s%ntheirs %s",
                                doc, mutant, ours.validate(mutant), theirErrors)
                        .isEqualTo(theirErrors.isEmpty());
            }
        }
    }

    @AfterAll
    static void mostRandomSchemasCompile() {
        System.out.printf(
                "jsonschema property test: %d random schemas compiled, %d refused as unsatisfiable%n",
                COMPILED.get(), REFUSED.get());
        assertThat(COMPILED.get()).as("refused %s", REFUSED.get()).isGreaterThan(SCHEMAS * 3 / 4);
    }

    @Test
    void generate_randomSchemas_sameSeedSameOutput() {
        for (long seed = 0; seed < 50; seed++) {
            JsonSchema s;
            try {
                s = JsonSchema.compile(RandomSchemas.schema(seed));
            } catch (SchemaException e) {
                continue;
            }
            assertThat(s.generate(new SplittableRandom(seed))).isEqualTo(s.generate(new SplittableRandom(seed)));
        }
    }

    private static List<String> messages(List<Error> errors) {
        List<String> out = new ArrayList<>();
        for (Error e : errors) {
            out.add(e.toString());
        }
        return out;
    }

    /** A copy of v with one random change: a value replaced, a property removed or added, an item appended. */
    static JsonNode mutate(JsonNode v, SplittableRandom rng) {
        JsonNode copy = v.deepCopy();
        List<JsonNode> containers = new ArrayList<>();
        collect(copy, containers);
        if (containers.isEmpty() || rng.nextInt(6) == 0) {
            return randomValue(rng);
        }
        JsonNode target = containers.get(rng.nextInt(containers.size()));
        if (target instanceof ObjectNode o) {
            List<String> names = new ArrayList<>(o.propertyNames());
            int op = rng.nextInt(3);
            if (op == 0 && !names.isEmpty()) {
                o.remove(names.get(rng.nextInt(names.size())));
            } else if (op == 1 && !names.isEmpty()) {
                o.set(names.get(rng.nextInt(names.size())), randomValue(rng));
            } else {
                o.set(Words.pick(Words.KEYS, new SplittableRandom(rng.nextLong())), randomValue(rng));
            }
        } else if (target instanceof ArrayNode a) {
            int op = rng.nextInt(3);
            if (op == 0 && !a.isEmpty()) {
                a.remove(rng.nextInt(a.size()));
            } else if (op == 1 && !a.isEmpty()) {
                a.set(rng.nextInt(a.size()), randomValue(rng));
            } else if (!a.isEmpty() && rng.nextBoolean()) {
                a.add(a.get(rng.nextInt(a.size())).deepCopy()); // duplicates test uniqueItems
            } else {
                a.add(randomValue(rng));
            }
        }
        return copy;
    }

    private static void collect(JsonNode n, List<JsonNode> out) {
        if (n.isContainer()) {
            out.add(n);
            for (JsonNode c : n) {
                collect(c, out);
            }
        }
    }

    private static JsonNode randomValue(SplittableRandom rng) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (rng.nextInt(9)) {
            case 0 -> f.nullNode();
            case 1 -> f.booleanNode(rng.nextBoolean());
            case 2 -> f.numberNode(rng.nextInt(-10, 200));
            case 3 -> f.numberNode(rng.nextInt(-100, 100) + 0.25 * (1 + rng.nextInt(3))); // never integral, see above
            case 4 -> f.stringNode(Words.pick(Words.NOUNS, new SplittableRandom(rng.nextLong())));
            case 5 ->
                f.stringNode(Formats.generate(
                        Formats.Kind.values()[rng.nextInt(Formats.Kind.values().length)],
                        new SplittableRandom(rng.nextLong())));
            case 6 -> f.objectNode().put("name", "x");
            case 7 -> f.arrayNode().add(1).add("a");
            default -> f.stringNode("");
        };
    }
}
