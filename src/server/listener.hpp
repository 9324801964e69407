#pragma once
// Accepts connections and starts a session for each, on a strand of its own.

#include <utility>  // before Asio/Beast in C++20 with Boost 1.74

#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "common/result.hpp"
#include "server/shared_state.hpp"

namespace herald::server {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds and listens; the error names the address.
  static Result<std::shared_ptr<Listener>> open(boost::asio::io_context& io,
                                                const boost::asio::ip::tcp::endpoint& endpoint,
                                                std::shared_ptr<SharedState> state);
  Listener(boost::asio::io_context& io, std::shared_ptr<SharedState> state);

  void run();
  void stop();  // from any thread: no more accepts
  std::uint16_t port() const { return port_; }

 private:
  void accept();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<SharedState> state_;
  std::uint16_t port_ = 0;
};

}  // namespace herald::server
