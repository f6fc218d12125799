package dev.llmlab.benchmarks.load;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A minimal {@code --key value} / {@code --key=value} command-line reader for the load tools. Unknown or unused
 * keys are reported by {@link #checkAllUsed()}, so a typo fails loudly instead of silently using a default.
 * Not thread-safe; used once from {@code main}.
 */
final class Args {
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> used = new HashSet<>();

    Args(String[] argv) {
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                value = argv[++i];
            } else {
                value = "true";
            }
            values.put(key, value);
        }
    }

    boolean has(String key) {
        used.add(key);
        return values.containsKey(key);
    }

    String str(String key, String def) {
        used.add(key);
        return values.getOrDefault(key, def);
    }

    int integer(String key, int def) {
        String v = str(key, null);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be an integer, got " + v);
        }
    }

    boolean bool(String key, boolean def) {
        String v = str(key, null);
        if (v == null) {
            return def;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException("--" + key + " must be true or false, got " + v);
        };
    }

    /** A duration like {@code 30s}, {@code 500ms}, {@code 2m}, {@code 250us}, in nanoseconds. */
    long nanos(String key, String def) {
        String v = str(key, def);
        return parseNanos(key, v);
    }

    static long parseNanos(String key, String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        long unit;
        String num;
        if (s.endsWith("ms")) {
            unit = 1_000_000L;
            num = s.substring(0, s.length() - 2);
        } else if (s.endsWith("us")) {
            unit = 1_000L;
            num = s.substring(0, s.length() - 2);
        } else if (s.endsWith("ns")) {
            unit = 1L;
            num = s.substring(0, s.length() - 2);
        } else if (s.endsWith("s")) {
            unit = 1_000_000_000L;
            num = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            unit = 60_000_000_000L;
            num = s.substring(0, s.length() - 1);
        } else {
            throw new IllegalArgumentException("--" + key + " needs a unit (ns, us, ms, s, m), got " + v);
        }
        try {
            return Math.round(Double.parseDouble(num) * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " is not a duration: " + v);
        }
    }

    void checkAllUsed() {
        for (String k : values.keySet()) {
            if (!used.contains(k)) {
                throw new IllegalArgumentException("unknown option --" + k);
            }
        }
    }
}
