package dev.llmlab.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code llmlab gateway audit}: the latest admin actions, and {@code spend}: what keys and teams spent. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Show the latest admin actions, newest first.")
final class AuditCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    AdminOptions admin;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "How many (default: 50).")
    int limit;

    @Override
    public Integer call() {
        JsonNode r = admin.call("GET", "/admin/audit?limit=" + limit, null);
        admin.print(spec.commandLine().getOut(), r, out -> {
            for (JsonNode e : r.get("data"))
                out.printf(
                        "%s  %-24s %-12s %-24s %s%n",
                        e.get("at").asString(),
                        e.get("actor").asString(),
                        e.get("action").asString(),
                        AdminOptions.orDash(e.get("target")),
                        AdminOptions.orDash(e.get("detail")));
        });
        return 0;
    }

    @Command(
            name = "spend",
            mixinStandardHelpOptions = true,
            description = "Show the tokens and US dollars each key and team spent this UTC day or month.")
    static final class Spend implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        AdminOptions admin;

        @Option(names = "--period", paramLabel = "day|month", defaultValue = "day", description = "(default: day)")
        String period;

        @Override
        public Integer call() {
            JsonNode r = admin.call("GET", "/admin/spend?period=" + AdminOptions.segment(period), null);
            admin.print(spec.commandLine().getOut(), r, out -> {
                out.printf(
                        "since %s (UTC)%n%-8s %-24s %14s %12s%n",
                        r.get("from").asString(), "", "NAME", "TOKENS", "USD");
                for (String kind : new String[] {"teams", "keys"})
                    r.get(kind)
                            .properties()
                            .forEach(e -> out.printf(
                                    "%-8s %-24s %14d %12.6f%n",
                                    kind.substring(0, kind.length() - 1),
                                    e.getKey(),
                                    e.getValue().get("tokens").asLong(),
                                    e.getValue().get("usd").asDouble()));
                long pending = r.get("rows_not_yet_written").asLong();
                if (pending > 0) out.println(pending + " requests are not yet written to the database");
            });
            return 0;
        }
    }
}
