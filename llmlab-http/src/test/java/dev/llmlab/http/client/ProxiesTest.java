package dev.llmlab.http.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The proxy variables and no_proxy, read as curl reads them (lib/url.c, lib/noproxy.c and curl's own tests). */
class ProxiesTest {

    /** host, no_proxy, whether curl goes direct. Cases from curl's noproxy unit test (unit1614) and its manual. */
    @ParameterizedTest(name = "{0} with no_proxy ''{1}'' -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "www.example.com | * | true",
                "www.example.com | *.example.com | false", // no wildcards but a lone *
                "example.com | example.com | true",
                "www.example.com | example.com | true",
                "www.example.com | .example.com | true",
                "example.com | .example.com | true", // a leading dot is dropped
                "notexample.com | example.com | false",
                "example.com.org | example.com | false",
                "EXAMPLE.com | example.COM | true",
                "example.com. | example.com | true", // trailing dots on either side are dropped
                "example.com | example.com. | true",
                "www.example.com | 'foo, bar,example.com' | true",
                "www.example.com | 'foo  ,,  example.com' | true",
                "www.example.com | 'foo example.com' | false", // blanks end the list unless a comma follows
                "example.com | example.com:443 | false", // entries carry no port
                "localhost | localhost | true",
                "127.0.0.1 | localhost | false", // a name never matches an IP literal
                "127.0.0.1 | 127.0.0.1 | true",
                "127.0.0.1 | 127.0.0.0/8 | true",
                "10.1.2.3 | 10.0.0.0/16 | false",
                "10.0.2.3 | 10.0.0.0/16 | true",
                "192.168.0.1 | 192.168.0.0/24 | true",
                "192.168.1.1 | 192.168.0.0/24 | false",
                "127.0.0.1 | 127.0.0.2 | false",
                "::1 | ::1 | true",
                "::1 | ::2 | false",
                "fe80::1 | fe80::/16 | true",
                "fe81::1 | fe80::/16 | false",
                "example.com | '' | false",
            })
    void noProxy_matchesAsCurlDoes(String host, String noProxy, boolean direct) {
        assertThat(Proxies.bypass(host, noProxy)).isEqualTo(direct);
    }

    private static Proxies.Route route(Map<String, String> env, String url) {
        return Proxies.fromEnvironment(env).route(Origin.of(url));
    }

    @Test
    void eachSchemeUsesItsVariable_asCurlDoes() {
        Map<String, String> env = Map.of("http_proxy", "http://p1:3128", "HTTPS_PROXY", "p2:8080");
        assertThat(route(env, "http://a/").via()).isEqualTo(Proxies.Via.FORWARD);
        assertThat(route(env, "http://a/").proxy().address()).isEqualTo("p1:3128");
        assertThat(route(env, "https://a/").via()).isEqualTo(Proxies.Via.TUNNEL);
        assertThat(route(env, "https://a/").proxy().address()).isEqualTo("p2:8080"); // no scheme: http://
        // HTTP_PROXY is ignored, as curl ignores it (a CGI program's "Proxy:" header would set it)
        assertThat(route(Map.of("HTTP_PROXY", "http://p:1"), "http://a/").via()).isEqualTo(Proxies.Via.DIRECT);
        // lower case first
        assertThat(route(Map.of("https_proxy", "http://low:1", "HTTPS_PROXY", "http://up:1"), "https://a/")
                        .proxy()
                        .host())
                .isEqualTo("low");
        // all_proxy when the scheme's is unset
        assertThat(route(Map.of("ALL_PROXY", "http://all"), "https://a/")
                        .proxy()
                        .address())
                .isEqualTo("all:1080");
        // loopback is proxied unless no_proxy names it
        assertThat(route(Map.of("https_proxy", "http://p:1"), "https://127.0.0.1:8443/")
                        .via())
                .isEqualTo(Proxies.Via.TUNNEL);
        assertThat(route(Map.of("https_proxy", "http://p:1", "NO_PROXY", "127.0.0.1"), "https://127.0.0.1:8443/")
                        .via())
                .isEqualTo(Proxies.Via.DIRECT);
    }

    /** curl_getenv (lib/getenv.c) returns NULL for a variable set to "": an empty one is unset, and the next is read. */
    @Test
    void anEmptyVariable_countsAsUnset_asCurlReadsIt() {
        assertThat(route(Map.of("https_proxy", "", "HTTPS_PROXY", "http://up:1"), "https://a/")
                        .proxy()
                        .host())
                .isEqualTo("up");
        assertThat(route(Map.of("https_proxy", "", "HTTPS_PROXY", "", "all_proxy", "http://all"), "https://a/")
                        .proxy()
                        .host())
                .isEqualTo("all");
        assertThat(route(Map.of("https_proxy", "", "all_proxy", "", "ALL_PROXY", "http://ALL"), "https://a/")
                        .proxy()
                        .host())
                .isEqualTo("ALL");
        assertThat(route(Map.of("http_proxy", "", "all_proxy", "http://all"), "http://a/")
                        .proxy()
                        .host())
                .isEqualTo("all");
        assertThat(route(Map.of("https_proxy", "http://p:1", "no_proxy", "", "NO_PROXY", "*"), "https://a/")
                        .via())
                .isEqualTo(Proxies.Via.DIRECT); // an empty no_proxy falls through to NO_PROXY
        Proxies none = Proxies.fromEnvironment(Map.of("https_proxy", "", "all_proxy", "", "http_proxy", ""));
        assertThat(none.any()).isFalse();
        assertThat(none.route(Origin.of("https://a/")).via()).isEqualTo(Proxies.Via.DIRECT);
    }

    @Test
    void aProxyVariableOfBlanksOnly_isRefused_namingIt() {
        // curl would take "  " as a proxy's name and fail each transfer; this says so once, at start
        assertThatThrownBy(() -> Proxies.fromEnvironment(Map.of("https_proxy", "  ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("https_proxy")
                .hasMessageContaining("only blanks");
    }

    @Test
    void credentials_areSentAsBasic_andNeverPrinted() {
        Proxies p = Proxies.fromEnvironment(Map.of("https_proxy", "http://us%40er:p%3Ass@proxy:3128"));
        assertThat(p.route(Origin.of("https://a/")).proxy().authorization())
                .isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString("us@er:p:ss".getBytes()));
        assertThat(p.toString()).doesNotContain("p:ss").doesNotContain("us@er").contains("proxy:3128");
    }

    /** Records print every component by default: the proxy's, the route's and the absolute head's must not print the Basic credentials. */
    @Test
    void credentials_areLeftOutOfEveryToString() {
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("us@er:p:ss".getBytes());
        String encoded = basic.substring("Basic ".length());
        Proxies p = Proxies.fromEnvironment(Map.of(
                "https_proxy", "http://us%40er:p%3Ass@proxy:3128", "http_proxy", "http://us%40er:p%3Ass@proxy:3128"));
        for (String url : new String[] {"https://a/", "http://a/"}) {
            Proxies.Route r = p.route(Origin.of(url));
            assertThat(r.proxy().authorization()).isEqualTo(basic);
            assertThat(r.toString())
                    .doesNotContain(encoded)
                    .doesNotContain("p:ss")
                    .contains("proxy:3128")
                    .contains("with credentials");
            assertThat(r.proxy().toString()).doesNotContain(encoded).contains("proxy:3128");
        }
        RequestHead head = RequestHead.of(Origin.of("http://a/"), "POST", "/v1/x", Map.of());
        assertThat(new String(head.absoluteBytes(basic), java.nio.charset.StandardCharsets.UTF_8))
                .contains("proxy-authorization: " + basic); // sent, as it must be
        assertThat(new RequestHead.Absolute(basic, head.absoluteBytes(basic)).toString())
                .doesNotContain(encoded);
    }

    @Test
    void proxiesThisClientCannotUse_areRefused_namingTheVariable() {
        assertThatThrownBy(() -> Proxies.fromEnvironment(Map.of("https_proxy", "socks5://p:1080")))
                .hasMessageContaining("https_proxy")
                .hasMessageContaining("socks5");
        assertThatThrownBy(() -> Proxies.fromEnvironment(Map.of("http_proxy", "https://p:443")))
                .hasMessageContaining("http_proxy");
    }
}
