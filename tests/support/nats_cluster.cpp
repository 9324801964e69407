#include "support/nats_cluster.hpp"

#include <set>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "support/net.hpp"

namespace herald::testing {

NatsCluster::NatsCluster() {
  std::set<std::uint16_t> route_ports;
  while (route_ports.size() < kSize) route_ports.insert(pick_free_port());
  std::string routes;
  for (auto port : route_ports) {
    routes += fmt::format("{}nats://127.0.0.1:{}", routes.empty() ? "" : ",", port);
  }
  std::size_t n = 0;
  for (auto port : route_ports) {
    servers_.push_back(
        std::make_unique<NatsServer>(NatsOptions()
                                         .with_arg("--server_name")
                                         .with_arg(fmt::format("herald-test-{}", n++))
                                         .with_arg("--cluster_name")
                                         .with_arg("herald-test")
                                         .with_arg("--cluster")
                                         .with_arg(fmt::format("nats://127.0.0.1:{}", port))
                                         .with_arg("--routes")
                                         .with_arg(routes)));
  }
  // Plain /healthz answers 200 only once the server is current with the meta leader.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (const auto& server : servers_) {
    while (http_get_status(server->monitor_port(), "/healthz", std::chrono::seconds(1)) != 200) {
      if (std::chrono::steady_clock::now() >= deadline) {
        throw std::runtime_error(
            fmt::format("the NATS cluster formed no JetStream meta leader in "
                        "30 s; log of {}:\n{}",
                        server->url(), server->log_tail()));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

std::string NatsCluster::urls() const {
  std::string out;
  for (const auto& s : servers_) out += (out.empty() ? "" : ",") + s->url();
  return out;
}

std::optional<std::size_t> NatsCluster::serving(const std::string& connection_name) {
  const std::string needle = fmt::format("\"name\": \"{}\"", connection_name);
  for (std::size_t i = 0; i < servers_.size(); ++i) {
    if (!servers_[i]->running()) continue;
    const auto body = http_get_body(servers_[i]->monitor_port(), "/connz", std::chrono::seconds(2));
    if (body && body->find(needle) != std::string::npos) return i;
  }
  return std::nullopt;
}

}  // namespace herald::testing
