#include "server/health.hpp"

#include <nlohmann/json.hpp>

namespace herald::server {

void add_health_routes(Router& router, ReadinessCheck readiness) {
  router.add("/healthz", {http::verb::get}, [](Request, Reply reply) {
    reply(make_response(http::status::ok, "text/plain; charset=utf-8", "ok\n"));
  });
  router.add(
      "/readyz", {http::verb::get}, [readiness = std::move(readiness)](Request, Reply reply) {
        Readiness state = readiness();
        auto part = [](const std::optional<std::string>& problem) {
          return problem ? *problem : std::string("ok");
        };
        nlohmann::ordered_json body = {{"status", state.ready() ? "ready" : "not ready"},
                                       {"database", part(state.database)},
                                       {"broker", part(state.broker)},
                                       {"slot", part(state.slot)}};
        reply(make_response(state.ready() ? http::status::ok : http::status::service_unavailable,
                            "application/json; charset=utf-8", body.dump() + "\n"));
      });
}

void add_metrics_route(Router& router, const metrics::Registry& registry) {
  router.add("/metrics", {http::verb::get}, [&registry](Request, Reply reply) {
    reply(make_response(http::status::ok, "text/plain; version=0.0.4; charset=utf-8",
                        registry.render()));
  });
}

}  // namespace herald::server
