package org.authmill.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.function.BooleanSupplier;

/**
 * Serves Prometheus metrics ({@code GET /metrics}, text exposition format 0.0.4) and a health check
 * ({@code GET /health}: 200 while the milter listens, 503 otherwise) over plain HTTP.
 */
public final class MetricsServer {
  private final HttpServer server;

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  /** Starts listening; port 0 picks a free port ({@link #port()}). */
  public static Future<MetricsServer> start(
      Vertx vertx, HostPort address, PrometheusMeterRegistry registry, BooleanSupplier healthy) {
    HttpServer http = vertx.createHttpServer();
    http.requestHandler(
        request -> {
          switch (request.path()) {
            case "/metrics" ->
                request
                    .response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(registry.scrape());
            case "/health" -> {
              boolean ok = healthy.getAsBoolean();
              request
                  .response()
                  .setStatusCode(ok ? 200 : 503)
                  .putHeader("Content-Type", "text/plain; charset=utf-8")
                  .end(ok ? "ok\n" : "not serving\n");
            }
            default -> request.response().setStatusCode(404).end("not found\n");
          }
        });
    return http.listen(address.port(), address.host()).map(MetricsServer::new);
  }

  /** The port listened on. */
  public int port() {
    return server.actualPort();
  }

  /** Stops listening. */
  public Future<Void> close() {
    return server.close();
  }
}
