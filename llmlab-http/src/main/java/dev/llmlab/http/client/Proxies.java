package dev.llmlab.http.client;

import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which HTTP proxy, if any, a request to an origin goes through, from the environment variables
 * curl reads and by curl's rules (curl's {@code lib/url.c} and {@code lib/noproxy.c}, and its
 * manual's ENVIRONMENT section):
 *
 * <ul>
 *   <li>an {@code http} origin uses {@code http_proxy}, lower case only: curl ignores
 *       {@code HTTP_PROXY}, which a CGI program would take from a request's {@code Proxy:} header
 *       ("httpoxy"), and so does this;
 *   <li>an {@code https} origin uses {@code https_proxy}, else {@code HTTPS_PROXY};
 *   <li>either falls back to {@code all_proxy}, else {@code ALL_PROXY};
 *   <li>a variable set to the empty string counts as unset, as curl's {@code curl_getenv}
 *       ({@code lib/getenv.c}) has it: an empty {@code https_proxy} falls through to
 *       {@code HTTPS_PROXY}, then to {@code all_proxy} and {@code ALL_PROXY}, and an empty
 *       {@code no_proxy} to {@code NO_PROXY}; a proxy variable of blanks only is refused (curl
 *       would fail to reach a proxy named so);
 *   <li>{@code no_proxy}, else {@code NO_PROXY}, lists origins that go direct: {@code *} alone
 *       matches every host; otherwise entries separated by commas (blanks around them allowed). A
 *       name entry matches the host itself or any host under it ({@code example.com} and
 *       {@code .example.com} both match {@code example.com} and {@code www.example.com}, not
 *       {@code notexample.com}; case and a trailing dot do not matter). When the host is an IP
 *       literal, entries are addresses or CIDR blocks ({@code 10.0.0.0/8}, {@code ::1}), and names
 *       do not match it ({@code localhost} does not cover {@code 127.0.0.1}). Like curl, entries
 *       carry no port: one with a port never matches.
 * </ul>
 *
 * <p>Loopback is proxied like any other host unless {@code no_proxy} names it, as curl does.
 *
 * <p>A proxy URL is {@code [http://][user:password@]host[:port]}; the port defaults to 1080, as
 * curl's does; credentials (percent-decoded) are sent as Basic authorisation. An https origin goes
 * through a CONNECT tunnel, with TLS end to end. A plain http origin is sent to the proxy with the
 * absolute-form request line, as curl does: proxies commonly refuse CONNECT to ports other than
 * 443 (Squid's default configuration does), and forwarding plain requests is what every HTTP proxy
 * supports.
 *
 * <p>Immutable and thread-safe.
 */
public final class Proxies {
    /** No proxy for any origin. */
    public static final Proxies NONE = new Proxies(null, null, null, null, "");

    private static final Pattern BLANK = Pattern.compile("[ \t]");

    /** A proxy: its address, and its credentials as a Basic authorisation value (null without). */
    record Proxy(String host, int port, String authorization, String from) {
        /** {@code host:port}, for messages; never the credentials. */
        String address() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }

        /** The address and the variable it came from: never the credentials, wherever it is printed. */
        @Override
        public String toString() {
            return address() + " (" + from + (authorization != null ? ", with credentials" : "") + ")";
        }
    }

    /** How a request reaches its origin: direct, through a CONNECT tunnel, or forwarded by a proxy. */
    enum Via {
        DIRECT,
        TUNNEL,
        FORWARD
    }

    /** The route to one origin; the client pools connections per route. */
    record Route(Origin origin, Via via, Proxy proxy) {
        /** Never the proxy's credentials. */
        @Override
        public String toString() {
            return proxy == null
                    ? origin + " direct"
                    : origin + " " + via.name().toLowerCase(Locale.ROOT) + " " + proxy;
        }
    }

    private final Proxy http;
    private final Proxy https;
    private final Proxy all;
    private final String allVariable;
    private final String noProxy;

    private Proxies(Proxy http, Proxy https, Proxy all, String allVariable, String noProxy) {
        this.http = http;
        this.https = https;
        this.all = all;
        this.allVariable = allVariable;
        this.noProxy = noProxy == null ? "" : noProxy;
    }

    /**
     * The proxies an environment names (pass {@link System#getenv()}, or a map in tests).
     *
     * @throws IllegalArgumentException for a proxy URL this client cannot use (another scheme than
     *     http, no host, a bad port, only blanks), naming the variable
     */
    public static Proxies fromEnvironment(Map<String, String> env) {
        String hv = first(env, "http_proxy");
        String sv = first(env, "https_proxy", "HTTPS_PROXY");
        String av = first(env, "all_proxy", "ALL_PROXY");
        String nv = first(env, "no_proxy", "NO_PROXY");
        return new Proxies(
                parse(hv, value(env, hv)),
                parse(sv, value(env, sv)),
                parse(av, value(env, av)),
                av,
                nv == null ? "" : value(env, nv));
    }

    /** A variable's value; null for no variable (the process environment's map refuses a null key). */
    private static String value(Map<String, String> env, String name) {
        return name == null ? null : env.get(name);
    }

    /** The name of the first variable of {@code names} that is set and not empty (curl's {@code curl_getenv}), or null. */
    private static String first(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isEmpty()) return n;
        }
        return null;
    }

    private static Proxy parse(String variable, String value) {
        if (variable == null || value == null) return null;
        if (value.isBlank())
            throw new IllegalArgumentException(
                    variable + " holds only blanks: give a proxy URL, or leave it empty or unset for no proxy");
        String v = value.strip();
        if (!v.contains("://")) v = "http://" + v;
        URI u;
        try {
            u = URI.create(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(variable + " is not a proxy URL: '" + value + "'");
        }
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http"))
            throw new IllegalArgumentException(variable + " names a " + scheme
                    + ":// proxy; only http:// proxies are supported (https origins go through them by CONNECT)");
        if (u.getHost() == null) throw new IllegalArgumentException(variable + " has no proxy host: '" + value + "'");
        int port = u.getPort() < 0 ? 1080 : u.getPort();
        if (port > 65535) throw new IllegalArgumentException(variable + " has a bad port: '" + value + "'");
        String auth = null;
        String info = u.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            String user = decode(colon < 0 ? info : info.substring(0, colon));
            String pass = colon < 0 ? "" : decode(info.substring(colon + 1));
            auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
        }
        String host = u.getHost();
        if (host.startsWith("[")) host = host.substring(1, host.length() - 1);
        return new Proxy(host, port, auth, variable);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Whether any proxy is configured. */
    public boolean any() {
        return http != null || https != null || all != null;
    }

    /** The route to {@code origin}. */
    Route route(Origin origin) {
        Proxy p = origin.secure() ? (https != null ? https : all) : (http != null ? http : all);
        if (p == null || bypass(origin.host(), noProxy)) return new Route(origin, Via.DIRECT, null);
        return new Route(origin, origin.secure() ? Via.TUNNEL : Via.FORWARD, p);
    }

    /** A description for logs and results: which proxy each scheme uses, never credentials. */
    @Override
    public String toString() {
        if (!any()) return "no proxy";
        StringBuilder s = new StringBuilder();
        if (http != null)
            s.append("http via ")
                    .append(http.address())
                    .append(" (")
                    .append(http.from)
                    .append(")");
        if (https != null) {
            if (!s.isEmpty()) s.append(", ");
            s.append("https via ")
                    .append(https.address())
                    .append(" (")
                    .append(https.from)
                    .append(")");
        }
        if (all != null) {
            if (!s.isEmpty()) s.append(", ");
            s.append("otherwise via ")
                    .append(all.address())
                    .append(" (")
                    .append(allVariable)
                    .append(")");
        }
        if (!noProxy.isBlank()) s.append("; no proxy for ").append(noProxy.strip());
        return s.toString();
    }

    /**
     * Whether {@code no_proxy} names {@code host}: curl's {@code Curl_check_noproxy}, with the same
     * cases (see the class comment).
     */
    static boolean bypass(String host, String noProxy) {
        if (noProxy == null || noProxy.isEmpty() || host.isEmpty()) return false;
        if (noProxy.equals("*")) return true;
        boolean v6 = host.indexOf(':') >= 0;
        boolean v4 = !v6 && isIpv4(host);
        String name = host;
        if (!v4 && !v6 && name.endsWith(".")) name = name.substring(0, name.length() - 1);
        int p = 0;
        int n = noProxy.length();
        while (p < n) {
            while (p < n && isBlank(noProxy.charAt(p))) p++;
            int start = p;
            while (p < n && !isBlank(noProxy.charAt(p)) && noProxy.charAt(p) != ',') p++;
            String token = noProxy.substring(start, p);
            if (!token.isEmpty() && matches(name, v4, v6, token)) return true;
            while (p < n && isBlank(noProxy.charAt(p))) p++;
            if (p >= n || noProxy.charAt(p) != ',') break; // as curl: a list goes on only after a comma
            while (p < n && noProxy.charAt(p) == ',') p++;
        }
        return false;
    }

    private static boolean matches(String name, boolean v4, boolean v6, String token) {
        if (!v4 && !v6) {
            if (token.endsWith(".")) token = token.substring(0, token.length() - 1);
            if (token.startsWith(".")) token = token.substring(1);
            if (token.length() == name.length()) return token.equalsIgnoreCase(name);
            return token.length() < name.length()
                    && name.charAt(name.length() - token.length() - 1) == '.'
                    && name.regionMatches(true, name.length() - token.length(), token, 0, token.length());
        }
        int slash = token.indexOf('/');
        String net = slash < 0 ? token : token.substring(0, slash);
        int bits;
        try {
            bits = slash < 0 ? 0 : Integer.parseInt(token.substring(slash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        byte[] a = literal(name, v6);
        byte[] b = literal(net, v6);
        if (a == null || b == null) return false;
        int width = a.length * 8;
        if (bits == 0) bits = width; // no prefix (or /0, as curl reads it): the whole address
        if (bits > width) return false;
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((a[i / 8] & mask) != (b[i / 8] & mask)) return false;
        }
        return true;
    }

    /** The bytes of an IPv4 or IPv6 literal (by the host's family), or null if {@code s} is not one. */
    private static byte[] literal(String s, boolean v6) {
        if (v6 ? s.indexOf(':') < 0 : !isIpv4(s)) return null;
        try {
            byte[] b = InetAddress.getByName(s).getAddress(); // a literal: parsed, never looked up
            return b.length == (v6 ? 16 : 4) ? b : null;
        } catch (java.net.UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isIpv4(String s) {
        int parts = 0;
        int digits = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (digits == 0) return false;
                parts++;
                digits = 0;
            } else if (c >= '0' && c <= '9' && ++digits <= 3) {
                continue;
            } else {
                return false;
            }
        }
        return parts == 3 && digits > 0;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
