package dev.llmlab.http.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.resolver.NoopAddressResolverGroup;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One event loop of an {@link HttpClient}: its pools (one per route), its open connections and its
 * timeout sweep. Touched only from that loop's thread, so nothing in it is locked.
 */
final class Loop {
    final HttpClient client;
    final EventLoop executor;
    /** The loop as a caller may use it ({@link HttpClient#loop}). */
    final ClientLoop handle;

    final Set<Connection> open = new HashSet<>();
    private final Bootstrap resolving;
    private final Bootstrap unresolved;
    private final Map<Origin, Pool> pools = new HashMap<>();
    /** The last origin asked for and its pool: a load generator asks for one origin all the time. */
    private Origin lastOrigin;

    private Pool lastPool;
    volatile long connects;

    Loop(HttpClient client, EventLoop executor) {
        this.client = client;
        this.executor = executor;
        this.handle = new ClientLoop(executor);
        this.resolving = client.transport.bootstrap(executor, client.connectTimeoutMillis);
        // Through a CONNECT tunnel the proxy resolves the origin's name, as curl lets it.
        this.unresolved = client.transport
                .bootstrap(executor, client.connectTimeoutMillis)
                .resolver(NoopAddressResolverGroup.INSTANCE);
    }

    Pool pool(Origin origin) {
        if (origin == lastOrigin) return lastPool;
        Pool p = pools.get(origin);
        if (p == null) {
            p = new Pool(client.proxies().route(origin), client.maxIdlePerRoute, client.idleExpiryNanos);
            pools.put(origin, p);
        }
        lastOrigin = origin;
        lastPool = p;
        return p;
    }

    /**
     * Begins a request: its send time is now, whether a kept-alive connection takes it at once or
     * one must be opened first (so a connect, like a server's slow accept, is part of its latency
     * rather than of a caller's schedule lag, as every HTTP client's user sees it).
     */
    void start(Call c) {
        c.sentNanos = System.nanoTime();
        if (c.done()) return; // cancelled before it started
        // A failure now (an unresolvable name, a write refused at once) would reach the listener
        // inside send(); the call hands it to the loop instead (Call.fail).
        c.starting = true;
        try {
            Pool p = pool(c.request.origin());
            Connection conn = p.acquire(c.sentNanos);
            if (conn != null) conn.begin(c);
            else connect(p, c);
        } finally {
            c.starting = false;
        }
    }

    /** Opens a connection on {@code p}'s route, for {@code first} (or into the pool when null). */
    ChannelFuture connect(Pool p, Call first) {
        connects++;
        Proxies.Route route = p.route;
        long start = first != null ? first.sentNanos : System.nanoTime();
        Connection[] made = new Connection[1];
        Bootstrap b = (route.via() == Proxies.Via.TUNNEL ? unresolved : resolving)
                .clone()
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline pipe = ch.pipeline();
                        Origin o = route.origin();
                        if (route.via() == Proxies.Via.TUNNEL) {
                            HttpHeaders h = new DefaultHttpHeaders();
                            if (route.proxy().authorization() != null)
                                h.set("proxy-authorization", route.proxy().authorization());
                            HttpProxyHandler proxy = new HttpProxyHandler(
                                    new InetSocketAddress(
                                            route.proxy().host(), route.proxy().port()),
                                    h);
                            proxy.setConnectTimeoutMillis(client.connectTimeoutMillis);
                            pipe.addLast("proxy", proxy);
                        }
                        if (o.secure())
                            pipe.addLast("tls", client.tls().handler(ch.alloc(), o, client.connectTimeoutMillis));
                        made[0] = new Connection(Loop.this, p, ch, first, start);
                        pipe.addLast("http", made[0]);
                    }
                });
        ChannelFuture f = switch (route.via()) {
            case DIRECT -> b.connect(route.origin().host(), route.origin().port());
            case FORWARD -> b.connect(route.proxy().host(), route.proxy().port());
            case TUNNEL ->
                b.connect(InetSocketAddress.createUnresolved(
                        route.origin().host(), route.origin().port()));
        };
        f.addListener(done -> {
            if (!done.isSuccess()) {
                if (made[0] != null) made[0].connectFailed(done.cause());
                else if (first != null)
                    first.fail(Failures.connecting(done.cause(), route, client.connectTimeoutMillis));
            }
        });
        return f;
    }

    /** Connections to {@code origin} opening for no request (a warm-up's): not yet connected, tunnelled or shaken hands. */
    int openingTo(Origin origin) {
        int n = 0;
        for (Connection c : open) if (warmingUp(c, origin)) n++;
        return n;
    }

    /** Closes the connections {@link #openingTo} counts. */
    void closeOpening(Origin origin) {
        for (Connection c : new ArrayList<>(open)) if (warmingUp(c, origin)) c.channel.close();
    }

    private static boolean warmingUp(Connection c, Origin origin) {
        return !c.isReady() && !c.busy() && c.pool.route.origin().equals(origin);
    }

    /** Closes every connection, busy or idle (the busy ones' requests were cancelled first). */
    void closeAll() {
        for (Connection c : new ArrayList<>(open)) c.channel.close();
    }

    void cancelAll() {
        for (Connection c : new ArrayList<>(open)) {
            if (c.busy())
                c.cancel(new ClientException(ClientException.Kind.CANCELLED, "cancelled: the client stopped"));
        }
    }

    void sweep() {
        long now = System.nanoTime();
        List<Connection> late = null;
        List<ClientException> why = null;
        for (Connection c : open) {
            ClientException e = c.overdue(now);
            if (e != null) {
                if (late == null) {
                    late = new ArrayList<>();
                    why = new ArrayList<>();
                }
                late.add(c);
                why.add(e);
            }
        }
        if (late != null) for (int i = 0; i < late.size(); i++) late.get(i).cancel(why.get(i));
        for (Iterator<Pool> it = pools.values().iterator(); it.hasNext(); ) {
            Pool p = it.next();
            p.expire(now);
            if (p.empty()) {
                it.remove();
                if (p == lastPool) {
                    lastOrigin = null;
                    lastPool = null;
                }
            }
        }
    }
}
