#pragma once
// One HTTP/1.1 connection: read a request (header and body limits, a deadline), hand it
// to the router, wait for the reply (a deadline, then 504), write it (a deadline),
// and read the next one while the client keeps the connection alive. Everything runs
// on the connection's strand; replies from other threads are posted to it.

#include <utility>  // before Asio/Beast in C++20 with Boost 1.74

#include <cstdint>
#include <memory>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>

#include "server/http.hpp"
#include "server/shared_state.hpp"

namespace herald::server {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket, std::shared_ptr<SharedState> state);
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  void run();
  // From any thread: finish the request in flight (answered with Connection: close),
  // close at once when idle.
  void stop();

 private:
  void read_request();
  void on_read(boost::beast::error_code ec);
  void on_reply(std::uint64_t generation, Response response);
  void write(Response response);
  void on_write(boost::beast::error_code ec, bool close);
  void drain_and_close();
  void drain();
  void close();

  boost::beast::tcp_stream stream_;
  std::shared_ptr<SharedState> state_;
  boost::beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  boost::asio::steady_timer handler_deadline_;
  std::uint64_t generation_ = 0;  // which request a reply answers
  bool awaiting_reply_ = false;
  bool writing_ = false;
  bool keep_alive_ = false;
  unsigned version_ = 11;
  bool stopping_ = false;
  bool joined_ = false;
  std::shared_ptr<Response> response_;  // alive until its write completes
};

}  // namespace herald::server
