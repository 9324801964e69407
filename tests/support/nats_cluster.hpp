#pragma once
// Three nats-servers routed into one JetStream cluster, for tests of herald against a
// replicated stream and against a server of the cluster going away.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/nats_server.hpp"

namespace herald::testing {

class NatsCluster {
 public:
  static constexpr std::size_t kSize = 3;

  // Starts the servers and waits (up to 30 s) until each reports itself healthy, which in
  // a cluster means it follows an elected JetStream meta leader; throws std::runtime_error
  // with the logs' tails when they do not get there.
  NatsCluster();

  // Every server's URL, comma-separated, as a `nats_url` lists a cluster.
  std::string urls() const;
  NatsServer& server(std::size_t i) { return *servers_.at(i); }

  // The server a client connection named `connection_name` is on now, if any (read from
  // each running server's /connz).
  std::optional<std::size_t> serving(const std::string& connection_name);

 private:
  std::vector<std::unique_ptr<NatsServer>> servers_;
};

}  // namespace herald::testing
