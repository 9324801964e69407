#pragma once
// herald's HTTP server: a listener and its sessions on a small pool of I/O threads of
// its own, so that nothing it does can hold up capture.
//
//   server::Router router;
//   server::add_health_routes(router, readiness);          // health.hpp
//   server::add_metrics_route(router, metrics.registry);
//   graphql_handler.add_routes(router);                    // graphql_handler.hpp
//   auto http = server::HttpServer::start(settings, std::move(router));
//   if (!http) fail(http.error().message);
//   ... (*http)->port() ...
//   (*http)->stop();  // finishes requests in flight, then joins its threads

#include <memory>

#include "common/result.hpp"
#include "server/router.hpp"
#include "server/settings.hpp"

namespace herald::server {

class HttpServer {
 public:
  static Result<std::unique_ptr<HttpServer>> start(const Settings& settings, Router router);
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  std::uint16_t port() const;  // the bound port (useful with port 0)
  // Stops accepting, lets requests in flight finish (within stop_timeout), closes idle
  // connections, joins the I/O threads. Idempotent.
  void stop();

  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace herald::server
