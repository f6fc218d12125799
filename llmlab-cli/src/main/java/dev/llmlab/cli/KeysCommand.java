package dev.llmlab.cli;

import dev.llmlab.gateway.admin.AdminClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code llmlab gateway keys create|list|rotate|revoke}: virtual keys, through a gateway's admin API. */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = {
            "Make, list, rotate and revoke a running gateway's virtual keys (its admin API; docs/gateway.md).",
            "The admin key is read from $LLMLAB_ADMIN_KEY. Exit codes: 0 done, 1 the gateway cannot be reached,"
                    + " 2 a usage error, 5 the gateway refused."
        },
        subcommands = {
            KeysCommand.Create.class,
            KeysCommand.ListKeys.class,
            KeysCommand.Rotate.class,
            KeysCommand.Revoke.class
        })
final class KeysCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.EXIT_USAGE;
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Make a key. Its secret is printed once, on stdout; it is stored as a hash.")
    static final class Create implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        AdminOptions admin;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Its name, unique.")
        String name;

        @Option(names = "--team", paramLabel = "TEAM", description = "The team it belongs to.")
        String team;

        @Option(
                names = "--expires",
                paramLabel = "WHEN",
                description = "When it stops working: a date (2027-01-01) or a UTC time (2027-01-01T00:00:00Z).")
        String expires;

        @ArgGroup(exclusive = false)
        LimitOptions limits = new LimitOptions();

        @Override
        public Integer call() {
            JsonNode r = admin.call(
                    "POST",
                    "/admin/keys",
                    AdminClient.object(
                            "name", name,
                            "team", team,
                            "limits", limits.limits(),
                            "models", limits.models,
                            "expires", expires));
            admin.print(
                    spec.commandLine().getOut(),
                    r,
                    out -> out.println(r.get("key").asString()));
            if (!admin.json)
                spec.commandLine()
                        .getErr()
                        .println("llmlab: made the key " + name + "; this is the only time its secret is shown");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the keys, without secrets.")
    static final class ListKeys implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        AdminOptions admin;

        @Option(names = "--revoked", description = "Include revoked keys.")
        boolean revoked;

        @Override
        public Integer call() {
            JsonNode r = admin.call("GET", "/admin/keys" + (revoked ? "?revoked=true" : ""), null);
            admin.print(spec.commandLine().getOut(), r, out -> {
                out.printf("%-24s %-16s %-18s %-22s %-8s %s%n", "NAME", "TEAM", "KEY", "EXPIRES", "STATE", "LIMITS");
                for (JsonNode k : r.get("data"))
                    out.printf(
                            "%-24s %-16s %-18s %-22s %-8s %s%n",
                            k.get("name").asString(),
                            AdminOptions.orDash(k.get("team")),
                            k.get("prefix").asString() + "...",
                            AdminOptions.orDash(k.get("expires_at")),
                            k.hasNonNull("revoked_at") ? "revoked" : "active",
                            AdminOptions.orDash(k.get("limits")));
                for (JsonNode k : r.get("configured"))
                    out.printf(
                            "%-24s %-16s %-18s %-22s %-8s %s%n",
                            k.get("name").asString(),
                            AdminOptions.orDash(k.get("team")),
                            "(config file)",
                            "-",
                            "active",
                            "-");
            });
            return 0;
        }
    }

    @Command(
            name = "rotate",
            mixinStandardHelpOptions = true,
            description = "Give a key a new secret, printed once; the old one works on for --grace.")
    static final class Rotate implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        AdminOptions admin;

        @Parameters(paramLabel = "NAME", description = "The key.")
        String name;

        @Option(
                names = "--grace",
                paramLabel = "DURATION",
                description = "How long the old secret keeps working, such as 1h (default: it stops at once).")
        String grace;

        @Override
        public Integer call() {
            JsonNode r = admin.call(
                    "POST",
                    "/admin/keys/" + AdminOptions.segment(name) + "/rotate",
                    AdminClient.object("grace", grace));
            admin.print(
                    spec.commandLine().getOut(),
                    r,
                    out -> out.println(r.get("key").asString()));
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key: it stops working at once.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        AdminOptions admin;

        @Parameters(paramLabel = "NAME", description = "The key.")
        String name;

        @Override
        public Integer call() {
            JsonNode r = admin.call("POST", "/admin/keys/" + AdminOptions.segment(name) + "/revoke", null);
            admin.print(spec.commandLine().getOut(), r, out -> out.println("revoked " + name));
            return 0;
        }
    }
}
