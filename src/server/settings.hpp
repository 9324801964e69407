#pragma once
// What the HTTP server needs from [server] and from herald's own defaults. A plain
// struct: cli fills it from config::Server; tests fill it directly (port 0 = any).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace herald::server {

struct Settings {
  std::string host = "127.0.0.1";       // an IP address or "localhost"
  std::uint16_t port = 8080;            // 0: the OS picks one; HttpServer::port() tells which
  std::size_t max_connections = 10000;  // beyond: 503 and close
  std::size_t threads = 2;              // I/O threads

  std::size_t body_limit = std::size_t{1} << 20;  // 413 beyond
  std::uint32_t header_limit = 16 * 1024;         // 431 beyond
  // Deadlines: reading a request (also the keep-alive idle time), writing a response,
  // and a handler answering (then 504).
  std::chrono::milliseconds read_timeout{30000};
  std::chrono::milliseconds write_timeout{30000};
  std::chrono::milliseconds handler_timeout{15000};
  // stop(): how long in-flight requests may take before connections are cut.
  std::chrono::milliseconds stop_timeout{5000};
};

}  // namespace herald::server
