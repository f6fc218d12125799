package dev.llmlab.top;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The GPU and gateway tables under top's text view; nothing when there are none. */
final class InfraText {
    private InfraText() {}

    static String render(Snapshot s) {
        StringBuilder out = new StringBuilder();
        if (!s.gpus().isEmpty()) {
            List<String[]> lines = new ArrayList<>();
            lines.add(new String[] {"GPUS", "ON", "UTIL%", "MEM GB", "POWER W", "ENERGY W"});
            for (GpuRow g : s.gpus())
                lines.add(new String[] {
                    String.valueOf(g.gpus()),
                    g.target(),
                    SnapshotText.pct(g.utilization()),
                    SnapshotText.num(g.memoryBytes() / 1e9, 1),
                    SnapshotText.num(g.watts(), 0),
                    SnapshotText.num(g.joulesPerSecond(), 0)
                });
            table(out, lines, 2);
            if (Double.isFinite(s.joulesPerOutputToken()))
                out.append(String.format(
                                Locale.ROOT,
                                "energy per output token: %.3f J (the GPUs' energy over the models' output tokens;"
                                        + " an estimate when the GPUs watched are not exactly the ones serving them)",
                                s.joulesPerOutputToken()))
                        .append(System.lineSeparator());
        }
        if (!s.gateways().isEmpty()) {
            List<String[]> lines = new ArrayList<>();
            lines.add(new String[] {
                "GATEWAY", "KIND", "REQ/S", "$/H", "$/M TOK", "CACHE%", "RETRY/S", "OPEN BREAKERS", "COOLDOWN/S"
            });
            for (GatewayRow g : s.gateways())
                lines.add(new String[] {
                    g.target(),
                    g.kind(),
                    SnapshotText.num(g.requestsPerSecond(), 1),
                    SnapshotText.num(g.dollarsPerHour(), 2),
                    SnapshotText.num(g.dollarsPerMillionTokens(), 2),
                    SnapshotText.pct(g.cacheHitRate()),
                    SnapshotText.num(g.retriesPerSecond(), 2),
                    SnapshotText.num(g.openBreakers(), 0),
                    SnapshotText.num(g.keyCooldownsPerSecond(), 2)
                });
            table(out, lines, 2);
        }
        return out.toString();
    }

    /** Columns before {@code left} are left-aligned names, the rest right-aligned figures. */
    private static void table(StringBuilder out, List<String[]> lines, int left) {
        int[] width = new int[lines.getFirst().length];
        for (String[] l : lines) for (int i = 0; i < l.length; i++) width[i] = Math.max(width[i], l[i].length());
        out.append(System.lineSeparator());
        for (String[] l : lines) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < l.length; i++) {
                String pad = " ".repeat(width[i] - l[i].length());
                line.append(i < left ? l[i] + pad : pad + l[i]);
                if (i + 1 < l.length) line.append("  ");
            }
            out.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
    }
}
