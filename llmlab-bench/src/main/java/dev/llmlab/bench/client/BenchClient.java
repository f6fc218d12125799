package dev.llmlab.bench.client;

import dev.llmlab.bench.measure.Outcome;
import dev.llmlab.bench.measure.RequestRecord;
import dev.llmlab.bench.sse.SseParser;
import dev.llmlab.core.token.Tokenizer;
import dev.llmlab.http.ClientTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The load generator's HTTP client: Netty, keep-alive connections reused from a pool (a new one is
 * opened only when none is idle), responses read as they arrive, SSE parsed incrementally, and
 * {@link System#nanoTime()} taken at the actual send, the first response byte, every
 * token-bearing event and the end. One request at a time per connection (HTTP/1.1, no
 * pipelining), so concurrency is connections.
 *
 * <p>Thread-safe: {@link #send} may be called from any thread; each request then lives on its
 * connection's event loop, and its record is delivered there.
 */
public final class BenchClient implements AutoCloseable {
  private static final AttributeKey<Call> CALL = AttributeKey.valueOf("llmlab.bench.call");

  private final Target target;
  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final long timeoutNanos;
  private final Tokenizer tokenizer;
  private final ConcurrentLinkedQueue<Channel> idle = new ConcurrentLinkedQueue<>();
  private final String transport;

  /**
   * @param tokenizer counts the output text, next to the server's {@code usage}
   */
  public BenchClient(Target target, int ioThreads, Duration timeout, Tokenizer tokenizer) {
    this.target = target;
    this.timeoutNanos = timeout.toNanos();
    this.tokenizer = tokenizer;
    ClientTransport t = ClientTransport.select();
    this.transport = t.name();
    this.group = t.group(ioThreads, "llmlab-bench");
    this.bootstrap = t.bootstrap(group, (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())))
        .handler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new HttpClientCodec(4096, 16384, 65536), new Handler());
          }
        });
  }

  public String transport() {
    return transport;
  }

  /**
   * Sends one request; {@code done} receives its record on an event loop, exactly once, whatever
   * happens (a refused connection and a timeout are records too).
   *
   * @param intendedNanos when the schedule meant it to go
   * @param slotWaitNanos how long it waited for a concurrency slot before this call
   */
  public void send(byte[] body, int inputTokens, long intendedNanos, long slotWaitNanos, Consumer<RequestRecord> done) {
    Call call = new Call(body, inputTokens, intendedNanos, slotWaitNanos, done);
    for (Channel ch = idle.poll(); ch != null; ch = idle.poll()) {
      if (ch.isActive()) {
        Channel c = ch;
        c.eventLoop().execute(() -> start(c, call));
        return;
      }
    }
    bootstrap.connect(target.host(), target.port()).addListener(f -> {
      if (f.isSuccess()) {
        start(((io.netty.channel.ChannelFuture) f).channel(), call);
      } else {
        long now = System.nanoTime();
        call.finish(now, Outcome.CONNECTION);
      }
    });
  }

  private void start(Channel ch, Call call) {
    if (!ch.isActive()) { // closed while idle: open another
      send(call.body, call.inputTokens, call.intendedNanos, call.slotWaitNanos, call.done);
      return;
    }
    ch.attr(CALL).set(call);
    call.channel = ch;
    FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, target.path(),
        Unpooled.wrappedBuffer(call.body));
    req.headers().set(HttpHeaderNames.HOST, target.host() + ":" + target.port())
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .set(HttpHeaderNames.CONTENT_LENGTH, call.body.length)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    for (Map.Entry<String, String> h : target.headers().entrySet()) req.headers().set(h.getKey(), h.getValue());
    call.timeout = ch.eventLoop().schedule(() -> {
      if (!call.finished) {
        call.finish(System.nanoTime(), Outcome.TIMEOUT);
        ch.close();
      }
    }, timeoutNanos, TimeUnit.NANOSECONDS);
    call.sentNanos = System.nanoTime();
    ch.writeAndFlush(req).addListener(f -> {
      if (!f.isSuccess() && !call.finished) {
        call.finish(System.nanoTime(), Outcome.CONNECTION);
        ch.close();
      }
    });
  }

  /**
   * Opens up to {@code connections} connections into the pool and waits (at most a few seconds) for
   * them, so that an open loop starts with connections ready and its first sends do not pay for
   * class loading and handshakes on the dispatcher's clock.
   */
  public void warmUp(int connections) {
    java.util.List<io.netty.channel.ChannelFuture> pending = new java.util.ArrayList<>();
    for (int i = 0; i < connections; i++) pending.add(bootstrap.connect(target.host(), target.port()));
    long deadline = System.nanoTime() + 5_000_000_000L;
    for (io.netty.channel.ChannelFuture f : pending) {
      long left = deadline - System.nanoTime();
      if (left > 0 && f.awaitUninterruptibly(left, TimeUnit.NANOSECONDS) && f.isSuccess()) idle.add(f.channel());
      else f.cancel(false); // a target that does not answer shows up in the run's own errors
    }
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** One request's state, confined to its connection's event loop once started. */
  private final class Call implements SseParser.Listener {
    final byte[] body;
    final int inputTokens;
    final long intendedNanos;
    final long slotWaitNanos;
    final Consumer<RequestRecord> done;
    Channel channel;
    ScheduledFuture<?> timeout;
    long sentNanos;
    long firstByteNanos = -1;
    long[] tokens = new long[64];
    int tokenCount;
    int status;
    boolean streaming;
    boolean keepAlive;
    boolean ended; // the API's own end of stream (for example [DONE]) was seen
    boolean finished;
    int usage = -1;
    final StringBuilder text = new StringBuilder();
    ByteArrayOutputStream whole;
    SseParser sse;
    Outcome failure;

    Call(byte[] body, int inputTokens, long intendedNanos, long slotWaitNanos, Consumer<RequestRecord> done) {
      this.body = body;
      this.inputTokens = inputTokens;
      this.intendedNanos = intendedNanos;
      this.slotWaitNanos = slotWaitNanos;
      this.done = done;
    }

    @Override
    public void onEvent(String event, String data) {
      if (failure != null) return;
      long now = System.nanoTime();
      Api.Event e;
      try {
        e = target.api().event(event, data);
      } catch (RuntimeException bad) {
        failure = Outcome.MALFORMED;
        return;
      }
      if (e.text() != null) {
        if (tokenCount == tokens.length) tokens = Arrays.copyOf(tokens, tokenCount * 2);
        tokens[tokenCount++] = now;
        text.append(e.text());
      }
      if (e.outputTokens() >= 0) usage = e.outputTokens();
      if (e.end()) ended = true;
    }

    void finish(long endNanos, Outcome outcome) {
      if (finished) return;
      finished = true;
      if (timeout != null) timeout.cancel(false);
      int counted = text.isEmpty() ? 0 : tokenizer.count(text);
      done.accept(new RequestRecord(intendedNanos, slotWaitNanos, sentNanos == 0 ? endNanos : sentNanos,
          firstByteNanos, Arrays.copyOf(tokens, tokenCount), endNanos, usage, counted, inputTokens, outcome, status));
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<HttpObject> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      Call call = ctx.channel().attr(CALL).get();
      if (call == null || call.finished) return; // a late answer to a timed-out request
      if (call.firstByteNanos < 0) call.firstByteNanos = System.nanoTime();
      if (msg instanceof HttpResponse r) {
        call.status = r.status().code();
        call.keepAlive = HttpUtil.isKeepAlive(r);
        String type = r.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        call.streaming = type.startsWith("text/event-stream");
        if (call.streaming) call.sse = new SseParser(call);
        else call.whole = new ByteArrayOutputStream();
      }
      if (msg instanceof HttpContent c) {
        ByteBuf content = c.content();
        if (content.isReadable()) {
          byte[] bytes = ByteBufUtil.getBytes(content);
          if (call.streaming) call.sse.feed(bytes, 0, bytes.length);
          else call.whole.writeBytes(bytes);
        }
        if (msg instanceof LastHttpContent) complete(ctx.channel(), call);
      }
    }

    private void complete(Channel ch, Call call) {
      long now = System.nanoTime();
      Outcome outcome;
      if (call.status != 200) {
        outcome = Outcome.HTTP_STATUS;
      } else if (call.failure != null) {
        outcome = call.failure;
      } else if (call.streaming) {
        // a stream must end as its API ends it, with nothing left half-sent
        outcome = call.ended && !call.sse.midEvent() ? Outcome.OK : Outcome.MALFORMED;
      } else {
        outcome = Outcome.OK;
        try {
          Api.Event e = target.api().whole(call.whole.toByteArray());
          call.text.append(e.text());
          call.usage = e.outputTokens();
        } catch (RuntimeException bad) {
          outcome = Outcome.MALFORMED;
        }
      }
      ch.attr(CALL).set(null);
      // Back in the pool before the record goes out: a closed loop sends its next request from
      // the callback, and should find this connection rather than open another. (A request
      // started on it from another thread runs after this task, on this loop.)
      boolean reuse = call.keepAlive && outcome != Outcome.MALFORMED;
      if (reuse) idle.add(ch);
      call.finish(now, outcome);
      if (!reuse) ch.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      Call call = ctx.channel().attr(CALL).getAndSet(null);
      if (call != null) call.finish(System.nanoTime(), Outcome.CONNECTION);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      Call call = ctx.channel().attr(CALL).getAndSet(null);
      if (call != null) call.finish(System.nanoTime(), Outcome.CONNECTION);
      ctx.close();
    }
  }
}
