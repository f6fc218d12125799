package dev.llmlab.cli;

import dev.llmlab.gateway.admin.AdminClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code llmlab gateway teams create|list|update|delete}: teams, through a gateway's admin API. */
@Command(
        name = "teams",
        mixinStandardHelpOptions = true,
        description = {
            "Make, list, change and delete a running gateway's teams: limits their keys share (docs/gateway.md).",
            "The admin key is read from $LLMLAB_ADMIN_KEY. Exit codes as for keys."
        },
        subcommands = {
            TeamsCommand.Create.class,
            TeamsCommand.ListTeams.class,
            TeamsCommand.Update.class,
            TeamsCommand.Delete.class
        })
final class TeamsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.EXIT_USAGE;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Make a team.")
    static final class Create implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        AdminOptions admin;

        @Parameters(paramLabel = "NAME", description = "The team's name, unique.")
        String name;

        @ArgGroup(exclusive = false)
        LimitOptions limits = new LimitOptions();

        @Override
        public Integer call() {
            JsonNode r = admin.call(
                    "POST",
                    "/admin/teams",
                    AdminClient.object("name", name, "limits", limits.limits(), "models", limits.models));
            admin.print(spec.commandLine().getOut(), r, out -> out.println("made the team " + name));
            return 0;
        }
    }

    @Command(
            name = "update",
            mixinStandardHelpOptions = true,
            description = "Replace a team's limits and models with those given (none given: none).")
    static final class Update implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        AdminOptions admin;

        @Parameters(paramLabel = "NAME", description = "The team.")
        String name;

        @ArgGroup(exclusive = false)
        LimitOptions limits = new LimitOptions();

        @Override
        public Integer call() {
            JsonNode r = admin.call(
                    "PUT",
                    "/admin/teams/" + AdminOptions.segment(name),
                    AdminClient.object("limits", limits.limits(), "models", limits.models));
            admin.print(spec.commandLine().getOut(), r, out -> out.println("changed the team " + name));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the teams made through the API.")
    static final class ListTeams implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        AdminOptions admin;

        @Override
        public Integer call() {
            JsonNode r = admin.call("GET", "/admin/teams", null);
            admin.print(spec.commandLine().getOut(), r, out -> {
                out.printf("%-24s %-30s %s%n", "NAME", "MODELS", "LIMITS");
                for (JsonNode t : r.get("data"))
                    out.printf(
                            "%-24s %-30s %s%n",
                            t.get("name").asString(),
                            t.get("models").isEmpty() ? "any" : t.get("models").toString(),
                            AdminOptions.orDash(t.get("limits")));
            });
            return 0;
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = "Delete a team that no working key belongs to.")
    static final class Delete implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        AdminOptions admin;

        @Parameters(paramLabel = "NAME", description = "The team.")
        String name;

        @Override
        public Integer call() {
            JsonNode r = admin.call("DELETE", "/admin/teams/" + AdminOptions.segment(name), null);
            admin.print(spec.commandLine().getOut(), r, out -> out.println("deleted the team " + name));
            return 0;
        }
    }
}
