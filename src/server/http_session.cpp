#include "server/http_session.hpp"

#include <exception>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <fmt/format.h>

namespace herald::server {

namespace asio = boost::asio;
namespace beast = boost::beast;

HttpSession::HttpSession(asio::ip::tcp::socket socket, std::shared_ptr<SharedState> state)
    : stream_(std::move(socket)),
      state_(std::move(state)),
      handler_deadline_(stream_.get_executor()) {}

HttpSession::~HttpSession() {
  if (joined_) state_->leave(this);
}

void HttpSession::run() {
  // The socket's executor is this connection's strand (the listener made it so).
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    self->joined_ = self->state_->try_join(self.get(), self);
    if (self->joined_) {
      self->read_request();
      return;
    }
    // Over max_connections (or stopping): say so and close. The request is not read.
    self->keep_alive_ = false;
    self->write(make_response(http::status::service_unavailable, "text/plain; charset=utf-8",
                              "too many connections\n"));
  });
}

void HttpSession::stop() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    self->stopping_ = true;
    // Idle between requests (or mid-read): nothing is owed to the client.
    if (!self->awaiting_reply_ && !self->writing_) self->close();
  });
}

void HttpSession::read_request() {
  parser_.emplace();
  parser_->body_limit(state_->settings().body_limit);
  parser_->header_limit(state_->settings().header_limit);
  stream_.expires_after(state_->settings().read_timeout);
  http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void HttpSession::on_read(beast::error_code ec) {
  if (ec == http::error::body_limit) {
    keep_alive_ = false;
    write(make_response(
        http::status::payload_too_large, "text/plain; charset=utf-8",
        fmt::format("request body larger than {} bytes\n", state_->settings().body_limit)));
    return;
  }
  if (ec == http::error::header_limit) {
    keep_alive_ = false;
    write(make_response(http::status::request_header_fields_too_large, "text/plain; charset=utf-8",
                        "request header too large\n"));
    return;
  }
  if (ec == http::error::bad_target || ec == http::error::bad_method ||
      ec == http::error::bad_version || ec == http::error::bad_field ||
      ec == http::error::bad_value || ec == http::error::bad_line_ending) {
    keep_alive_ = false;
    write(make_response(http::status::bad_request, "text/plain; charset=utf-8",
                        "malformed HTTP request\n"));
    return;
  }
  if (ec) {  // end of stream, timeout, reset, or closed by stop()
    close();
    return;
  }
  Request request = parser_->release();
  keep_alive_ = request.keep_alive();
  version_ = request.version();
  stream_.expires_never();
  awaiting_reply_ = true;
  const std::uint64_t generation = ++generation_;

  handler_deadline_.expires_after(state_->settings().handler_timeout);
  // The pending deadline is what keeps this session alive while the handler works; the
  // reply holds it only weakly, so a handler that never answers leaks nothing.
  handler_deadline_.async_wait([self = shared_from_this(), generation](beast::error_code wait_ec) {
    if (wait_ec) return;
    self->on_reply(generation, make_json_error(http::status::gateway_timeout,
                                               "the request took too long and was abandoned"));
  });

  // The reply may come from any thread, after this session is gone.
  Reply reply = [weak = weak_from_this(), generation, state = state_,
                 executor = stream_.get_executor()](Response response) {
    state->if_io_alive([&] {
      asio::post(executor, [weak, generation, response = std::move(response)]() mutable {
        if (auto self = weak.lock()) self->on_reply(generation, std::move(response));
      });
    });
  };
  try {
    state_->router().dispatch(std::move(request), std::move(reply));
  } catch (const std::exception& e) {
    on_reply(generation, make_json_error(http::status::internal_server_error,
                                         fmt::format("internal error: {}", e.what())));
  }
}

void HttpSession::on_reply(std::uint64_t generation, Response response) {
  // A late reply (after the deadline answered) or a second one is dropped.
  if (generation != generation_ || !awaiting_reply_) return;
  awaiting_reply_ = false;
  handler_deadline_.cancel();
  write(std::move(response));
}

void HttpSession::write(Response response) {
  const bool close_after = !keep_alive_ || stopping_ || state_->stopping();
  response.version(version_);
  response.keep_alive(!close_after);
  response.prepare_payload();
  response_ = std::make_shared<Response>(std::move(response));
  writing_ = true;
  stream_.expires_after(state_->settings().write_timeout);
  http::async_write(stream_, *response_,
                    [self = shared_from_this(), close_after](beast::error_code ec, std::size_t) {
                      self->on_write(ec, close_after);
                    });
}

void HttpSession::on_write(beast::error_code ec, bool close_after) {
  writing_ = false;
  response_.reset();
  if (ec) {
    close();
    return;
  }
  if (close_after) {
    drain_and_close();
    return;
  }
  read_request();
}

void HttpSession::drain_and_close() {
  // Closing with unread request bytes would reset the connection and could destroy the
  // answer in the client's buffers; so half-close, then read (one second at most, in
  // all) until the client closes.
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream_.expires_after(std::chrono::seconds(1));
  drain();
}

void HttpSession::drain() {
  buffer_.clear();
  stream_.async_read_some(buffer_.prepare(4096),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (ec) {
                              self->close();
                              return;
                            }
                            self->drain();
                          });
}

void HttpSession::close() {
  beast::error_code ignored;
  handler_deadline_.cancel();
  // Half-close first so a client still sending sees our answer before the reset.
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream_.socket().close(ignored);
}

}  // namespace herald::server
