#pragma once
// Loopback networking the server fixtures need: picking free ports and a tiny HTTP GET
// for readiness probes (nats-server's /healthz).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace herald::testing {

// A TCP port on 127.0.0.1 that was free a moment ago (bind port 0, read it, close).
// Another process may take it before the server binds it: servers retry on collision.
std::uint16_t pick_free_port();

// True when something accepts TCP connections on 127.0.0.1:port.
bool port_accepts_connections(std::uint16_t port);

// GET http://127.0.0.1:<port><target>; the response status code, or nullopt when there
// was no well-formed answer within `timeout`.
std::optional<int> http_get_status(std::uint16_t port, const std::string& target,
                                   std::chrono::milliseconds timeout);

// The body of GET http://127.0.0.1:<port><target> when it answers 200 within `timeout`.
std::optional<std::string> http_get_body(std::uint16_t port, const std::string& target,
                                         std::chrono::milliseconds timeout);

}  // namespace herald::testing
