#include "sink/redis_sink.hpp"

#include <utility>

#include <fmt/format.h>

#include "sink/redis_connection.hpp"
#include "sink/redis_url.hpp"
#include "sink/redis_worker.hpp"

namespace herald::sink {

namespace {

std::string describe_command(const RedisSinkSettings& settings) {
  if (settings.mode == RedisMode::PubSub) return "PUBLISH";
  if (settings.maxlen == 0) return "XADD";
  return fmt::format("XADD MAXLEN ~{}", settings.maxlen);
}

}  // namespace

Result<std::unique_ptr<RedisSink>> RedisSink::connect(const RedisSinkSettings& settings,
                                                      CompletionQueue& completions) {
  auto endpoint = redis::parse_url(settings.url);
  if (!endpoint) return endpoint.error();
  const std::string label = "redis " + endpoint->label();
  const auto fail = [&](std::string_view message) {
    return make_error(fmt::format("{}: {}", label, message));
  };
  if (settings.maxlen < 0) return fail("maxlen must not be negative");
  if (settings.max_in_flight == 0) return fail("max_in_flight must be at least 1");
  if (settings.connect_timeout.count() <= 0 || settings.command_timeout.count() <= 0) {
    return fail("connect and command timeouts must be positive");
  }
  if (settings.reconnect_wait.count() < 0 || settings.ping_interval.count() < 0) {
    return fail("reconnect_wait and ping_interval must not be negative");
  }

  auto connection =
      redis::Connection::open(*endpoint, settings.connect_timeout, settings.command_timeout);
  if (!connection) return connection.error();

  redis::WorkerSettings worker_settings;
  worker_settings.endpoint = std::move(endpoint).value();
  worker_settings.command =
      settings.mode == RedisMode::Stream ? redis::Command::Xadd : redis::Command::Publish;
  worker_settings.maxlen = settings.maxlen;
  worker_settings.max_in_flight = settings.max_in_flight;
  worker_settings.connect_timeout = settings.connect_timeout;
  worker_settings.command_timeout = settings.command_timeout;
  worker_settings.reconnect_wait = settings.reconnect_wait;
  worker_settings.ping_interval = settings.ping_interval;
  worker_settings.wait_for_renew = settings.wait_for_renew;
  worker_settings.label = label;
  auto worker =
      redis::Worker::start(std::move(worker_settings), completions, std::move(connection).value());
  return std::make_unique<RedisSink>(PrivateTag{}, std::move(worker),
                                     fmt::format("{} ({})", label, describe_command(settings)));
}

RedisSink::RedisSink(PrivateTag /*tag*/, std::unique_ptr<redis::Worker> worker,
                     std::string description)
    : worker_(std::move(worker)), description_(std::move(description)) {}

RedisSink::~RedisSink() {
  close(std::chrono::milliseconds(0));
}

bool RedisSink::submit(const Delivery& delivery) {
  if (closed_) return false;
  return worker_->submit(delivery);
}

std::size_t RedisSink::in_flight() const {
  return worker_->in_flight();
}

bool RedisSink::healthy() const {
  return worker_->connected();
}

std::string RedisSink::describe() const {
  return description_;
}

void RedisSink::renew() {
  if (!closed_) worker_->renew();
}

void RedisSink::close(std::chrono::milliseconds grace) {
  if (closed_) return;
  closed_ = true;
  worker_->stop(grace);
}

}  // namespace herald::sink
