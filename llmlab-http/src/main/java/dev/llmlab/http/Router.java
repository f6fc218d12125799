package dev.llmlab.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Maps a method and a path to a {@link Handler}.
 *
 * <p>Patterns are made of {@code /}-separated segments. A segment is either literal, or holds one
 * {@code {name}} placeholder with an optional literal prefix and suffix inside the same segment, e.g.
 * {@code "/v1/models/{id}"} or {@code "/v1beta/models/{model}:generateContent"}. A placeholder matches one or
 * more characters within one segment (never a {@code /}); the value handed to the handler is percent-decoded.
 * The query string is not part of matching and the path is matched as sent (not decoded, not normalised).
 *
 * <p>When several patterns match a path, the most specific wins, compared segment by segment from the left: a
 * literal segment beats a placeholder with a prefix or suffix, which beats a bare placeholder. A path that
 * matches no pattern is answered 404; a path that matches but not with the request's method is answered 405
 * with an {@code Allow} header listing the methods that would have matched.
 *
 * <p>Thread-safety: a built {@code Router} is immutable and safe to share. Matching does not lock and, for
 * patterns without placeholders, does not allocate. The {@link Builder} is not thread-safe.
 */
public final class Router {

    /** The route pattern reported for requests that matched no route. */
    static final String UNMATCHED = "unmatched";

    /** Literal patterns by exact path: the common case is one hash lookup. */
    private final Map<String, Route> literal;
    /** Patterns with placeholders, most specific first. */
    private final Route[] templated;

    private Router(Map<String, Route> literal, Route[] templated) {
        this.literal = literal;
        this.templated = templated;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Finds the handler for {@code method} and {@code path}: a match with a handler, a match without a handler
     * (405, with {@link Match#allow}), or null (404).
     */
    Match match(String method, String path) {
        Route exact = literal.get(path);
        Match found = exact == null ? null : exact.matchLiteral(method);
        if (found != null && found.handler != null) {
            return found;
        }
        // A path can match a literal pattern with the wrong method and a templated one with the right method;
        // the templated one serves it, and only if none does is the union of methods reported in Allow.
        String allow = found == null ? null : found.allow;
        for (Route route : templated) {
            if (!route.matchesPath(path)) {
                continue;
            }
            Handler handler = route.handlers.get(method);
            if (handler != null) {
                return new Match(route.pattern, handler, route, route.offsets(path), null);
            }
            allow = allow == null ? route.allow : mergeAllow(allow, route.allow);
        }
        return allow == null ? null : new Match(UNMATCHED, null, null, null, allow);
    }

    private static String mergeAllow(String a, String b) {
        List<String> methods = new ArrayList<>(Arrays.asList(a.split(", ")));
        for (String m : b.split(", ")) {
            if (!methods.contains(m)) {
                methods.add(m);
            }
        }
        return String.join(", ", methods);
    }

    /** The result of a lookup; immutable. Literal matches are preallocated. */
    static final class Match {
        final String pattern;
        final Handler handler;
        final Route route;
        /** Start and end offset in the path of each placeholder's raw value, or null. */
        final int[] offsets;

        final String allow;

        Match(String pattern, Handler handler, Route route, int[] offsets, String allow) {
            this.pattern = pattern;
            this.handler = handler;
            this.route = route;
            this.offsets = offsets;
            this.allow = allow;
        }

        String pathParam(String path, String name) {
            if (route == null || offsets == null) {
                return null;
            }
            String[] names = route.paramNames;
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(name)) {
                    return percentDecode(path, offsets[2 * i], offsets[2 * i + 1]);
                }
            }
            return null;
        }
    }

    /** Builds a {@link Router}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Map<String, Handler>> byPattern = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Adds a route.
         *
         * @throws IllegalArgumentException if the pattern is malformed or the method and pattern are already
         *                                  routed
         */
        public Builder add(String method, String pattern, Handler handler) {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(handler, "handler");
            String m = method.trim().toUpperCase(Locale.ROOT);
            if (m.isEmpty()) {
                throw new IllegalArgumentException("empty method for pattern " + pattern);
            }
            Route.parse(pattern); // validate early, where the mistake is made
            Map<String, Handler> handlers = byPattern.computeIfAbsent(pattern, p -> new LinkedHashMap<>());
            if (handlers.putIfAbsent(m, handler) != null) {
                throw new IllegalArgumentException("duplicate route " + m + " " + pattern);
            }
            return this;
        }

        public Router build() {
            Map<String, Route> literal = new HashMap<>();
            List<Route> templated = new ArrayList<>();
            for (Map.Entry<String, Map<String, Handler>> e : byPattern.entrySet()) {
                Route route = Route.parse(e.getKey()).withHandlers(e.getValue());
                if (route.paramNames.length == 0) {
                    literal.put(route.pattern, route);
                } else {
                    templated.add(route);
                }
            }
            templated.sort(Route.SPECIFICITY);
            return new Router(Map.copyOf(literal), templated.toArray(Route[]::new));
        }
    }

    /** One pattern with its handlers by method. */
    static final class Route {
        static final Comparator<Route> SPECIFICITY = (a, b) -> {
            int n = Math.min(a.segments.length, b.segments.length);
            for (int i = 0; i < n; i++) {
                int c = Integer.compare(a.segments[i].rank(), b.segments[i].rank());
                if (c != 0) {
                    return c;
                }
                c = Integer.compare(b.segments[i].affixLength(), a.segments[i].affixLength());
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(b.segments.length, a.segments.length);
        };

        final String pattern;
        final Segment[] segments;
        final String[] paramNames;
        final Map<String, Handler> handlers;
        final String allow;
        /** Preallocated literal matches by method, so the common lookup allocates nothing. */
        private final Map<String, Match> literalMatches;

        private final Match methodNotAllowed;

        private Route(String pattern, Segment[] segments, String[] paramNames, Map<String, Handler> handlers) {
            this.pattern = pattern;
            this.segments = segments;
            this.paramNames = paramNames;
            this.handlers = handlers;
            this.allow = String.join(", ", handlers.keySet());
            Map<String, Match> matches = new HashMap<>();
            handlers.forEach((m, h) -> matches.put(m, new Match(pattern, h, this, null, null)));
            this.literalMatches = Map.copyOf(matches);
            this.methodNotAllowed = new Match(UNMATCHED, null, null, null, allow);
        }

        static Route parse(String pattern) {
            if (pattern.isEmpty() || pattern.charAt(0) != '/') {
                throw new IllegalArgumentException("pattern must start with '/': " + pattern);
            }
            String[] parts = pattern.substring(1).split("/", -1);
            Segment[] segments = new Segment[parts.length];
            List<String> names = new ArrayList<>();
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i];
                int open = part.indexOf('{');
                int close = part.indexOf('}');
                if (open < 0 && close < 0) {
                    segments[i] = new Segment(part, null, null, -1);
                    continue;
                }
                if (open < 0 || close < open || part.indexOf('{', open + 1) >= 0 || part.indexOf('}', close + 1) >= 0) {
                    throw new IllegalArgumentException(
                            "a segment may hold one {name} placeholder: '" + part + "' in " + pattern);
                }
                String name = part.substring(open + 1, close);
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("empty placeholder name in " + pattern);
                }
                if (names.contains(name)) {
                    throw new IllegalArgumentException("duplicate placeholder {" + name + "} in " + pattern);
                }
                segments[i] = new Segment(null, part.substring(0, open), part.substring(close + 1), names.size());
                names.add(name);
            }
            return new Route(pattern, segments, names.toArray(String[]::new), Map.of());
        }

        Route withHandlers(Map<String, Handler> byMethod) {
            // Allow lists methods in registration order, which reads better than hash order.
            return new Route(pattern, segments, paramNames, Collections.unmodifiableMap(new LinkedHashMap<>(byMethod)));
        }

        Match matchLiteral(String method) {
            Match m = literalMatches.get(method);
            return m != null ? m : methodNotAllowed;
        }

        boolean matchesPath(String path) {
            return scan(path, null);
        }

        int[] offsets(String path) {
            int[] offsets = new int[paramNames.length * 2];
            scan(path, offsets);
            return offsets;
        }

        /** Walks the path's segments against the pattern's without splitting (no allocation). */
        private boolean scan(String path, int[] offsets) {
            int len = path.length();
            if (len == 0 || path.charAt(0) != '/') {
                return false;
            }
            int pos = 1;
            for (int i = 0; i < segments.length; i++) {
                if (pos > len) {
                    return false; // the path has fewer segments
                }
                int end = path.indexOf('/', pos);
                if (end < 0) {
                    end = len;
                }
                if (!segments[i].matches(path, pos, end, offsets)) {
                    return false;
                }
                pos = end + 1;
            }
            return pos == len + 1; // consumed exactly all segments
        }
    }

    /** A literal segment ({@code text != null}) or a placeholder with optional prefix and suffix. */
    record Segment(String text, String prefix, String suffix, int param) {
        int rank() {
            if (text != null) {
                return 0;
            }
            return affixLength() > 0 ? 1 : 2;
        }

        int affixLength() {
            return text != null ? text.length() : prefix.length() + suffix.length();
        }

        boolean matches(String path, int start, int end, int[] offsets) {
            int len = end - start;
            if (text != null) {
                return len == text.length() && path.regionMatches(start, text, 0, len);
            }
            int p = prefix.length();
            int s = suffix.length();
            if (len <= p + s
                    || !path.regionMatches(start, prefix, 0, p)
                    || !path.regionMatches(end - s, suffix, 0, s)) {
                return false;
            }
            if (offsets != null) {
                offsets[2 * param] = start + p;
                offsets[2 * param + 1] = end - s;
            }
            return true;
        }
    }

    /**
     * Decodes {@code %XX} escapes as UTF-8. Unlike form decoding, {@code +} stays {@code +}: in a path it is a
     * literal plus. A malformed escape is kept as is rather than failing the request. Characters below U+0100 are
     * taken as raw bytes, because that is how the request decoder turns bytes of the request line into chars.
     */
    static String percentDecode(String s, int from, int to) {
        int firstPercent = s.indexOf('%', from);
        if (firstPercent < 0 || firstPercent >= to) {
            return s.substring(from, to);
        }
        byte[] out = new byte[(to - from) * 4];
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < to) {
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    out[n++] = (byte) ((hi << 4) | lo);
                    i += 2;
                    continue;
                }
            }
            if (c < 0x100) {
                out[n++] = (byte) c;
            } else {
                byte[] enc = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(enc, 0, out, n, enc.length);
                n += enc.length;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
