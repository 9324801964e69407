#include "server/listener.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <fmt/format.h>

#include "server/http_session.hpp"

namespace herald::server {

namespace asio = boost::asio;
using asio::ip::tcp;

Listener::Listener(asio::io_context& io, std::shared_ptr<SharedState> state)
    : io_(io), acceptor_(asio::make_strand(io)), state_(std::move(state)) {}

Result<std::shared_ptr<Listener>> Listener::open(asio::io_context& io,
                                                 const tcp::endpoint& endpoint,
                                                 std::shared_ptr<SharedState> state) {
  auto listener = std::make_shared<Listener>(io, std::move(state));
  boost::system::error_code ec;
  auto& acceptor = listener->acceptor_;
  auto where = [&] {
    return fmt::format("{}:{}", endpoint.address().to_string(), endpoint.port());
  };
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Error{fmt::format("cannot listen on {}: {}", where(), ec.message())};
  listener->port_ = acceptor.local_endpoint().port();
  return listener;
}

void Listener::run() {
  accept();
}

void Listener::stop() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
  });
}

void Listener::accept() {
  acceptor_.async_accept(
      asio::make_strand(io_),
      [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) return;
        // Other accept errors (EMFILE, a reset before accept) drop that one connection only.
        if (!ec) std::make_shared<HttpSession>(std::move(socket), self->state_)->run();
        self->accept();
      });
}

}  // namespace herald::server
