#include "server/http_server.hpp"

#include <utility>  // before Asio/Beast in C++20 with Boost 1.74

#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <fmt/format.h>

#include "server/listener.hpp"

namespace herald::server {

namespace asio = boost::asio;

struct HttpServer::Impl {
  Settings settings;
  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::shared_ptr<SharedState> state;
  std::shared_ptr<Listener> listener;
  std::vector<std::thread> threads;
  bool stopped = false;

  explicit Impl(const Settings& s)
      : settings(s), io(static_cast<int>(s.threads == 0 ? 1 : s.threads)) {}
};

namespace {

Result<asio::ip::address> resolve_host(const std::string& host) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec) return Error{fmt::format("[server] host '{}' is not an IP address", host)};
  return address;
}

}  // namespace

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<HttpServer>> HttpServer::start(const Settings& settings, Router router) {
  auto address = resolve_host(settings.host);
  if (!address) return address.error();
  auto impl = std::make_unique<Impl>(settings);
  impl->state = std::make_shared<SharedState>(settings, std::move(router));
  auto listener =
      Listener::open(impl->io, asio::ip::tcp::endpoint(*address, settings.port), impl->state);
  if (!listener) return listener.error();
  impl->listener = std::move(*listener);
  impl->listener->run();
  impl->work.emplace(impl->io.get_executor());
  const std::size_t threads = settings.threads == 0 ? 1 : settings.threads;
  for (std::size_t i = 0; i < threads; ++i) {
    impl->threads.emplace_back([io = &impl->io] { io->run(); });
  }
  return std::make_unique<HttpServer>(std::move(impl));
}

HttpServer::~HttpServer() {
  stop();
  impl_->state->io_gone();
}

std::uint16_t HttpServer::port() const {
  return impl_->listener->port();
}

void HttpServer::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->listener->stop();
  impl_->state->stop_sessions();
  // Sessions answering a request finish it; past the timeout the io_context is cut off.
  impl_->state->wait_until_empty(impl_->settings.stop_timeout);
  impl_->work.reset();
  impl_->io.stop();
  for (auto& thread : impl_->threads) thread.join();
  impl_->threads.clear();
}

}  // namespace herald::server
