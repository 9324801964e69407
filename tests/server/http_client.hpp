#pragma once
// A blocking Beast HTTP/1.1 client for the server tests: one TCP connection, any
// number of requests on it (keep-alive), with a deadline on every exchange.

#include <utility>  // before Asio/Beast in C++20 with Boost 1.74

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace herald::testing {

namespace http = boost::beast::http;
using HttpResponse = http::response<http::string_body>;
using HttpRequest = http::request<http::string_body>;

class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port);  // connects to 127.0.0.1:port

  // Sends and reads one response; nullopt when the connection failed or closed.
  std::optional<HttpResponse> send(HttpRequest request,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(10));
  std::optional<HttpResponse> get(const std::string& target);
  std::optional<HttpResponse> post(const std::string& target, const std::string& content_type,
                                   std::string body, const std::string& accept = "");

  // Raw bytes out (for malformed requests) and one response back.
  std::optional<HttpResponse> send_raw(const std::string& bytes);

  // True when the server closed the connection (reads EOF within `timeout`).
  bool closed_by_server(std::chrono::milliseconds timeout = std::chrono::seconds(5));

  std::string last_error() const { return last_error_; }

 private:
  std::optional<HttpResponse> read_response(std::chrono::milliseconds timeout);

  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::string last_error_;
};

// One request on a fresh connection.
std::optional<HttpResponse> http_get(std::uint16_t port, const std::string& target);

}  // namespace herald::testing
