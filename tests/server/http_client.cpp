#include "server/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>

namespace herald::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;

namespace {

// Beast's tcp_stream deadlines apply to asynchronous operations only: start one, then
// run the private io_context until it completes.
template <typename Start>
beast::error_code run_async(asio::io_context& io, Start start) {
  beast::error_code result;
  start([&result](beast::error_code ec, std::size_t) { result = ec; });
  io.restart();
  io.run();
  return result;
}

}  // namespace

HttpClient::HttpClient(std::uint16_t port) : stream_(io_) {
  beast::error_code ec;
  stream_.socket().connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) last_error_ = "connect: " + ec.message();
}

std::optional<HttpResponse> HttpClient::read_response(std::chrono::milliseconds timeout) {
  HttpResponse response;
  beast::error_code ec;
  stream_.expires_after(timeout);
  ec = run_async(io_, [&](auto done) { http::async_read(stream_, buffer_, response, done); });
  if (ec) {
    last_error_ = "read: " + ec.message();
    return std::nullopt;
  }
  return response;
}

std::optional<HttpResponse> HttpClient::send(HttpRequest request,
                                             std::chrono::milliseconds timeout) {
  if (request[http::field::host].empty()) request.set(http::field::host, "127.0.0.1");
  request.prepare_payload();
  beast::error_code ec;
  stream_.expires_after(timeout);
  ec = run_async(io_, [&](auto done) { http::async_write(stream_, request, done); });
  if (ec) {
    last_error_ = "write: " + ec.message();
    return std::nullopt;
  }
  return read_response(timeout);
}

std::optional<HttpResponse> HttpClient::get(const std::string& target) {
  return send(HttpRequest{http::verb::get, target, 11});
}

std::optional<HttpResponse> HttpClient::post(const std::string& target,
                                             const std::string& content_type, std::string body,
                                             const std::string& accept) {
  HttpRequest request{http::verb::post, target, 11};
  if (!content_type.empty()) request.set(http::field::content_type, content_type);
  if (!accept.empty()) request.set(http::field::accept, accept);
  request.body() = std::move(body);
  return send(std::move(request));
}

std::optional<HttpResponse> HttpClient::send_raw(const std::string& bytes) {
  beast::error_code ec;
  stream_.expires_after(std::chrono::seconds(10));
  ec = run_async(io_, [&](auto done) { asio::async_write(stream_, asio::buffer(bytes), done); });
  if (ec) {
    last_error_ = "write: " + ec.message();
    return std::nullopt;
  }
  return read_response(std::chrono::seconds(10));
}

bool HttpClient::closed_by_server(std::chrono::milliseconds timeout) {
  char byte = 0;
  beast::error_code ec;
  stream_.expires_after(timeout);
  ec = run_async(io_, [&](auto done) { stream_.async_read_some(asio::buffer(&byte, 1), done); });
  return ec == asio::error::eof || ec == asio::error::connection_reset;
}

std::optional<HttpResponse> http_get(std::uint16_t port, const std::string& target) {
  HttpClient client(port);
  return client.get(target);
}

}  // namespace herald::testing
