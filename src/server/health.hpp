#pragma once
// GET /healthz (the process answers), GET /readyz (database, broker and slot healthy),
// GET /metrics (Prometheus text 0.0.4).

#include <functional>
#include <optional>
#include <string>

#include "common/metrics.hpp"
#include "server/router.hpp"

namespace herald::server {

// Each part: nullopt when healthy, else what is wrong ("connection refused", ...).
struct Readiness {
  std::optional<std::string> database;
  std::optional<std::string> broker;
  std::optional<std::string> slot;

  bool ready() const { return !database && !broker && !slot; }
};

// Called on an I/O thread for every /readyz: it must not block (return state that
// the owner keeps current, not the result of a fresh network check).
using ReadinessCheck = std::function<Readiness()>;

// 200 "ok"; /readyz: 200 {"status":"ready",...} or 503 {"status":"not ready",
// "database":"ok"|problem, "broker":..., "slot":...}.
void add_health_routes(Router& router, ReadinessCheck readiness);

// The registry must outlive the server.
void add_metrics_route(Router& router, const metrics::Registry& registry);

}  // namespace herald::server
