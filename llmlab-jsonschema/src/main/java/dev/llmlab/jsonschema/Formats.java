package dev.llmlab.jsonschema;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * The {@code format} values this package asserts and generates: the ones OpenAI Structured Outputs documents
 * (date-time, time, date, duration, email, hostname, ipv4, ipv6, uuid) plus uri and uri-reference. The checks follow
 * JSON Schema 2020-12 validation section 7.3 and the RFCs it cites (RFC 3339 incl. appendix A durations, RFC 5321
 * mailbox without quoted local parts, RFC 1123 host names, RFC 2673 / RFC 4291 addresses, RFC 3986 URIs, RFC 4122
 * UUIDs), simplified where that only rejects exotic but valid values. Other formats are annotations only.
 */
final class Formats {

    enum Kind {
        DATE("date", 10, 10),
        DATE_TIME("date-time", 20, Integer.MAX_VALUE),
        TIME("time", 9, Integer.MAX_VALUE),
        DURATION("duration", 3, Integer.MAX_VALUE),
        EMAIL("email", 6, 318),
        HOSTNAME("hostname", 1, 253),
        IPV4("ipv4", 7, 15),
        IPV6("ipv6", 3, 39),
        URI("uri", 3, Integer.MAX_VALUE),
        URI_REFERENCE("uri-reference", 1, Integer.MAX_VALUE),
        UUID("uuid", 36, 36);

        final String keyword;
        /** Lengths the generator can reach (for email, ipv6 and uri-reference, a little narrower than valid ones). */
        final int minLength;

        final int maxLength;

        Kind(String keyword, int minLength, int maxLength) {
            this.keyword = keyword;
            this.minLength = minLength;
            this.maxLength = maxLength;
        }

        static Kind of(String format) {
            for (Kind k : values()) {
                if (k.keyword.equals(format)) {
                    return k;
                }
            }
            return null;
        }
    }

    private Formats() {}

    static boolean valid(Kind kind, String s) {
        return switch (kind) {
            case DATE -> date(s, 0) == s.length();
            case DATE_TIME -> dateTime(s);
            case TIME -> time(s, 0) == s.length();
            case DURATION -> duration(s);
            case EMAIL -> email(s);
            case HOSTNAME -> hostname(s);
            case IPV4 -> ipv4(s);
            case IPV6 -> ipv6(s);
            case URI -> uri(s, true);
            case URI_REFERENCE -> uri(s, false);
            case UUID -> uuid(s);
        };
    }

    static String generate(Kind kind, RandomGenerator rng) {
        return switch (kind) {
            case DATE -> randomDate(rng);
            case DATE_TIME -> randomDate(rng) + "T" + randomTime(rng);
            case TIME -> randomTime(rng);
            case DURATION -> randomDuration(rng);
            case EMAIL -> Words.email(rng);
            case HOSTNAME -> Words.pick(Words.NOUNS, rng) + "." + Words.pick(Words.DOMAINS, rng);
            case IPV4 ->
                (rng.nextInt(223) + 1) + "." + rng.nextInt(256) + "." + rng.nextInt(256) + "." + (rng.nextInt(254) + 1);
            case IPV6 ->
                String.format(
                        Locale.ROOT,
                        "2001:db8:%x:%x::%x",
                        rng.nextInt(0x10000),
                        rng.nextInt(0x10000),
                        rng.nextInt(0xFFFF) + 1);
            case URI, URI_REFERENCE -> Words.url(rng);
            case UUID -> uuid(rng);
        };
    }

    // ---------------------------------------------------------------- generation

    /**
     * A valid value whose length is within [minLen, maxLen] (maxLen < 0: unbounded) where the format has room for
     * that (email, hostname, uri, uri-reference, duration); otherwise a natural value that the caller checks.
     */
    static String generate(Kind kind, RandomGenerator rng, int minLen, int maxLen) {
        String s = generate(kind, rng);
        if (s.length() >= minLen && (maxLen < 0 || s.length() <= maxLen)) {
            return s;
        }
        int lo = Math.max(minLen, kind.minLength);
        int hi = Math.min(maxLen < 0 ? Integer.MAX_VALUE : maxLen, kind.maxLength);
        hi = Math.min(hi, lo + 20);
        if (lo > hi) {
            return s;
        }
        int target = lo + rng.nextInt(hi - lo + 1);
        return switch (kind) {
            case EMAIL -> email(rng, target);
            case HOSTNAME -> host(rng, target);
            case URI -> uri(rng, target);
            case URI_REFERENCE ->
                target < 5
                        ? Words.pick(Words.NOUNS, rng).substring(0, Math.min(target, 3))
                                + "abcd".substring(0, Math.max(0, target - 3))
                        : uri(rng, target);
            case DURATION -> "P" + (1 + rng.nextInt(9)) + "0".repeat(target - 3) + "D";
            case IPV4 -> ipv4(rng, target);
            case IPV6 -> ipv6(rng, target);
            case DATE_TIME, TIME -> {
                // "...:05Z" plus, when longer, fraction digits ".d+" before the Z
                String base = kind == Kind.TIME ? randomTime(rng) : randomDate(rng) + "T" + randomTime(rng);
                base = base.substring(0, base.length() - (base.endsWith("Z") ? 1 : 6));
                int extra = target - base.length() - 1;
                if (extra == 1) {
                    extra = target + 1 <= hi ? 2 : 0;
                }
                yield extra <= 0 ? base + "Z" : base + "." + "5".repeat(extra - 1) + "Z";
            }
            default -> s;
        };
    }

    /** A dotted quad of exactly n characters (7..15). */
    private static String ipv4(RandomGenerator rng, int n) {
        int[] width = {1, 1, 1, 1};
        for (int extra = n - 7; extra > 0; ) {
            int i = rng.nextInt(4);
            if (width[i] < 3) {
                width[i]++;
                extra--;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(
                    switch (width[i]) {
                        case 1 -> 1 + rng.nextInt(9);
                        case 2 -> 10 + rng.nextInt(90);
                        default -> 100 + rng.nextInt(156);
                    });
        }
        return sb.toString();
    }

    /** An IPv6 address of exactly n characters (3..39): "::g:g..." up to 36, eight full groups beyond. */
    private static String ipv6(RandomGenerator rng, int n) {
        if (n > 36) {
            StringBuilder sb = new StringBuilder();
            int shortGroups = 39 - n; // groups of 3 hex digits, the others have 4
            for (int g = 0; g < 8; g++) {
                if (g > 0) {
                    sb.append(':');
                }
                int width = g < shortGroups ? 3 : 4;
                for (int i = 0; i < width; i++) {
                    sb.append(Character.forDigit(i == 0 ? 1 + rng.nextInt(15) : rng.nextInt(16), 16));
                }
            }
            return sb.toString();
        }
        StringBuilder sb = new StringBuilder("::");
        int remaining = n - 2;
        while (remaining > 0) {
            int g = remaining <= 4 ? remaining : Math.min(4, remaining - 2);
            for (int i = 0; i < g; i++) {
                sb.append(Character.forDigit(i == 0 ? 1 + rng.nextInt(15) : rng.nextInt(16), 16));
            }
            remaining -= g;
            if (remaining > 0) {
                sb.append(':');
                remaining--;
            }
        }
        return sb.toString();
    }

    /** A host name of exactly n characters (1 <= n <= 253) made of words. */
    private static String host(RandomGenerator rng, int n) {
        StringBuilder sb = new StringBuilder(Words.pick(Words.NOUNS, rng));
        while (sb.length() < n) {
            sb.append('.').append(Words.pick(Words.NOUNS, rng));
        }
        sb.setLength(n);
        if (sb.charAt(n - 1) == '.') {
            sb.setCharAt(n - 1, 'x');
        }
        return sb.toString();
    }

    private static String email(RandomGenerator rng, int n) {
        String domain = n >= 20 ? Words.pick(Words.DOMAINS, rng) : "x.io";
        int local = n - 1 - domain.length();
        if (local > 64) {
            local = 64;
            domain = host(rng, n - 1 - local);
        }
        StringBuilder sb = new StringBuilder(Words.pick(Words.FIRST_NAMES, rng).toLowerCase(Locale.ROOT));
        while (sb.length() < local) {
            sb.append('.').append(Words.pick(Words.NOUNS, rng));
        }
        sb.setLength(local);
        if (sb.charAt(local - 1) == '.') {
            sb.setCharAt(local - 1, 'x');
        }
        return sb + "@" + domain;
    }

    private static String uri(RandomGenerator rng, int n) {
        String base = "https://example.com/";
        if (n > base.length()) {
            StringBuilder sb = new StringBuilder(base).append(Words.pick(Words.NOUNS, rng));
            while (sb.length() < n) {
                sb.append('/').append(Words.pick(Words.NOUNS, rng));
            }
            sb.setLength(n);
            return sb.toString();
        }
        if (n >= 5) {
            StringBuilder sb = new StringBuilder("urn:").append(Words.pick(Words.NOUNS, rng));
            while (sb.length() < n) {
                sb.append(Words.pick(Words.NOUNS, rng));
            }
            sb.setLength(n);
            return sb.toString();
        }
        return n == 4 ? "ab:c" : "a:b";
    }

    private static String randomDate(RandomGenerator rng) {
        int year = 2019 + rng.nextInt(8);
        int month = 1 + rng.nextInt(12);
        int day = 1 + rng.nextInt(28);
        return String.format(Locale.ROOT, "%04d-%02d-%02d", year, month, day);
    }

    private static String randomTime(RandomGenerator rng) {
        String t = String.format(Locale.ROOT, "%02d:%02d:%02d", rng.nextInt(24), rng.nextInt(60), rng.nextInt(60));
        return switch (rng.nextInt(4)) {
            case 0 -> t + "+02:00";
            case 1 -> t + "-05:00";
            default -> t + "Z";
        };
    }

    private static String randomDuration(RandomGenerator rng) {
        return switch (rng.nextInt(4)) {
            case 0 -> "P" + (1 + rng.nextInt(30)) + "D";
            case 1 -> "PT" + (1 + rng.nextInt(12)) + "H" + (1 + rng.nextInt(59)) + "M";
            case 2 -> "P" + (1 + rng.nextInt(4)) + "W";
            default -> "P" + (1 + rng.nextInt(3)) + "DT" + (1 + rng.nextInt(23)) + "H";
        };
    }

    static String uuid(RandomGenerator rng) {
        long hi = rng.nextLong();
        long lo = rng.nextLong();
        hi = (hi & ~0xF000L) | 0x4000L; // version 4
        lo = (lo & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new java.util.UUID(hi, lo).toString();
    }

    // ---------------------------------------------------------------- validation

    private static int digits(String s, int pos, int n) {
        if (pos + n > s.length()) {
            return -1;
        }
        int v = 0;
        for (int i = pos; i < pos + n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Parses an RFC 3339 full-date at pos; returns the end index or -1. */
    private static int date(String s, int pos) {
        int y = digits(s, pos, 4);
        if (y < 0 || !at(s, pos + 4, '-')) {
            return -1;
        }
        int m = digits(s, pos + 5, 2);
        if (m < 1 || m > 12 || !at(s, pos + 7, '-')) {
            return -1;
        }
        int d = digits(s, pos + 8, 2);
        if (d < 1 || d > java.time.YearMonth.of(y, m).lengthOfMonth()) {
            return -1;
        }
        return pos + 10;
    }

    /** Parses an RFC 3339 full-time (partial-time and offset) at pos; returns the end index or -1. */
    private static int time(String s, int pos) {
        int h = digits(s, pos, 2);
        if (h < 0 || h > 23 || !at(s, pos + 2, ':')) {
            return -1;
        }
        int mi = digits(s, pos + 3, 2);
        if (mi < 0 || mi > 59 || !at(s, pos + 5, ':')) {
            return -1;
        }
        int sec = digits(s, pos + 6, 2);
        if (sec < 0 || sec > 60) {
            return -1;
        }
        int i = pos + 8;
        if (at(s, i, '.')) {
            int start = ++i;
            while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
                i++;
            }
            if (i == start) {
                return -1;
            }
        }
        if (i >= s.length()) {
            return -1;
        }
        char z = s.charAt(i);
        int offsetMinutes;
        if (z == 'Z' || z == 'z') {
            i++;
            offsetMinutes = 0;
        } else if (z == '+' || z == '-') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if (oh < 0 || oh > 23 || !at(s, i + 3, ':') || om < 0 || om > 59) {
                return -1;
            }
            offsetMinutes = (z == '+' ? 1 : -1) * (oh * 60 + om);
            i += 6;
        } else {
            return -1;
        }
        if (sec == 60) {
            // a leap second exists only at 23:59:60 UTC
            int utc = Math.floorMod(h * 60 + mi - offsetMinutes, 24 * 60);
            if (utc != 23 * 60 + 59) {
                return -1;
            }
        }
        return i;
    }

    private static boolean dateTime(String s) {
        int i = date(s, 0);
        if (i < 0 || i >= s.length()) {
            return false;
        }
        char t = s.charAt(i);
        if (t != 'T' && t != 't') {
            return false;
        }
        return time(s, i + 1) == s.length();
    }

    private static boolean at(String s, int i, char c) {
        return i < s.length() && s.charAt(i) == c;
    }

    private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile(
            "P(?:(?:\\d+Y(?:\\d+M(?:\\d+D)?)?|\\d+M(?:\\d+D)?|\\d+D)(?:T(?:\\d+H(?:\\d+M(?:\\d+S)?)?|\\d+M(?:\\d+S)?|\\d+S))?"
                    + "|T(?:\\d+H(?:\\d+M(?:\\d+S)?)?|\\d+M(?:\\d+S)?|\\d+S)|\\d+W)");

    private static boolean duration(String s) {
        return ascii(s) && DURATION.matcher(s).matches();
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 128) {
                return false;
            }
        }
        return true;
    }

    private static boolean email(String s) {
        int at = s.lastIndexOf('@');
        if (at <= 0 || at == s.length() - 1 || at > 64) {
            return false;
        }
        String local = s.substring(0, at);
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return false;
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "!#$%&'*+-/=?^_`{|}~.".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        String domain = s.substring(at + 1);
        if (domain.startsWith("[") && domain.endsWith("]")) {
            String lit = domain.substring(1, domain.length() - 1);
            return lit.regionMatches(true, 0, "IPv6:", 0, 5) ? ipv6(lit.substring(5)) : ipv4(lit);
        }
        return hostname(domain);
    }

    static boolean hostname(String s) {
        if (s.isEmpty() || s.length() > 253) {
            return false;
        }
        int start = 0;
        while (true) {
            int dot = s.indexOf('.', start);
            int end = dot < 0 ? s.length() : dot;
            int len = end - start;
            if (len < 1 || len > 63 || s.charAt(start) == '-' || s.charAt(end - 1) == '-') {
                return false;
            }
            for (int i = start; i < end; i++) {
                char c = s.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
                    return false;
                }
            }
            if (dot < 0) {
                return true;
            }
            start = dot + 1;
        }
    }

    static boolean ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return false;
            }
            int v = digits(p, 0, p.length());
            if (v < 0 || v > 255) {
                return false;
            }
        }
        return true;
    }

    static boolean ipv6(String s) {
        if (s.isEmpty() || !ascii(s)) {
            return false;
        }
        int groups = 0;
        String rest = s;
        // an embedded IPv4 tail counts as two groups
        int lastColon = s.lastIndexOf(':');
        if (lastColon >= 0 && s.indexOf('.', lastColon) > 0) {
            if (!ipv4(s.substring(lastColon + 1))) {
                return false;
            }
            groups += 2;
            rest = s.substring(0, lastColon + 1);
            if (!rest.endsWith("::")) {
                rest = rest.substring(0, rest.length() - 1);
            }
        }
        int dbl = rest.indexOf("::");
        if (dbl >= 0 && rest.indexOf("::", dbl + 1) >= 0) {
            return false;
        }
        String[] sides =
                dbl >= 0 ? new String[] {rest.substring(0, dbl), rest.substring(dbl + 2)} : new String[] {rest};
        for (String side : sides) {
            if (side.isEmpty()) {
                continue;
            }
            for (String g : side.split(":", -1)) {
                if (g.isEmpty() || g.length() > 4) {
                    return false;
                }
                for (int i = 0; i < g.length(); i++) {
                    if (Character.digit(g.charAt(i), 16) < 0) {
                        return false;
                    }
                }
                groups++;
            }
        }
        return dbl >= 0 ? groups <= 7 : groups == 8;
    }

    private static boolean uri(String s, boolean absolute) {
        if (!ascii(s)) {
            return false;
        }
        try {
            URI u = new URI(s);
            return !absolute || u.isAbsolute();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean uuid(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (Character.digit(c, 16) < 0 || c >= 128) {
                return false;
            }
        }
        return true;
    }
}
