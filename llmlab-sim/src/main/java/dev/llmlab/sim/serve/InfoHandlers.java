package dev.llmlab.sim.serve;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.openai.OpenAiResponses;
import dev.llmlab.api.openai.OpenAiResponses.ModelInfo;
import dev.llmlab.http.Exchange;
import dev.llmlab.sim.catalog.ModelSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** GET /v1/models, /v1/models/{id}, /health, /ready, /version and /metrics. */
final class InfoHandlers {
  private final SimContext ctx;
  private final List<ModelInfo> models;

  InfoHandlers(SimContext ctx) {
    this.ctx = ctx;
    this.models = ctx.catalog().models().stream().map(InfoHandlers::info).toList();
  }

  private static ModelInfo info(ModelSpec m) {
    return new ModelInfo(m.id(), m.created(), m.ownedBy());
  }

  void listModels(Exchange ex) {
    Replies.json(ex, 200, out -> OpenAiResponses.writeModelList(out, models));
  }

  void getModel(Exchange ex) {
    String id = ex.pathParam("id");
    ModelSpec m = ctx.catalog().find(id);
    if (m == null) {
      Replies.error(ex, new ApiException(404, "invalid_request_error", "model", "model_not_found",
          "The model '" + id + "' does not exist"));
      return;
    }
    Replies.json(ex, 200, out -> OpenAiResponses.writeModel(out, info(m)));
  }

  void health(Exchange ex) {
    text(ex, 200, Replies.JSON, "{\"status\":\"ok\"}");
  }

  void ready(Exchange ex) {
    if (ctx.draining().get()) text(ex, 503, Replies.JSON, "{\"status\":\"draining\"}");
    else if (!ctx.warm().get()) text(ex, 503, Replies.JSON, "{\"status\":\"loading\"}");
    else text(ex, 200, Replies.JSON, "{\"status\":\"ready\",\"models\":" + models.size() + "}");
  }

  void version(Exchange ex) {
    text(ex, 200, Replies.JSON, "{\"name\":\"llmlab\",\"version\":\"" + ctx.version() + "\"}");
  }

  void metrics(Exchange ex) {
    ByteBuf buf = ex.alloc().buffer(16 * 1024);
    try {
      ctx.metrics().write(new ByteBufOutputStream(buf));
    } catch (IOException e) {
      buf.release();
      throw new UncheckedIOException(e);
    }
    ex.respond(200, dev.llmlab.sim.metrics.SimMetrics.CONTENT_TYPE, buf);
  }

  private static void text(Exchange ex, int status, String type, String body) {
    ex.respond(status, type, ex.alloc().buffer(body.length()).writeBytes(body.getBytes(StandardCharsets.UTF_8)));
  }
}
