#include "sink/redis_worker.hpp"

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace herald::sink::redis {

namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// Commands are appended to hiredis's output buffer only while it is empty, and at most this
// many bytes at a time: hiredis shifts the unwritten rest of the buffer after each partial
// write, which costs the buffer's size every time, so a small buffer keeps writes cheap.
constexpr std::size_t kMaxAppendBytes = std::size_t{256} * 1024;

constexpr std::size_t kMaxArgs = 10;

// poll()'s timeout for a deadline: -1 (forever) for time_point::max(), 0 (just look) for
// time_point::min().
int poll_timeout(steady_clock::time_point until) {
  if (until == steady_clock::time_point::max()) return -1;
  if (until == steady_clock::time_point::min()) return 0;
  const auto left = std::chrono::ceil<milliseconds>(until - steady_clock::now());
  return static_cast<int>(std::clamp<milliseconds::rep>(left.count(), 0, 60'000));
}

}  // namespace

WakeFd::WakeFd() : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (fd_ < 0) throw std::runtime_error("cannot create an eventfd for the redis sink");
}

WakeFd::~WakeFd() {
  ::close(fd_);
}

void WakeFd::signal() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto n = ::write(fd_, &one, sizeof one);
}

void WakeFd::reset() {
  std::uint64_t count = 0;
  [[maybe_unused]] const auto n = ::read(fd_, &count, sizeof count);
}

std::unique_ptr<Worker> Worker::start(WorkerSettings settings, CompletionQueue& queue,
                                      Connection connection) {
  auto worker = std::make_unique<Worker>(std::move(settings), queue, std::move(connection));
  Worker* self = worker.get();
  worker->thread_ = std::thread([self] { self->run(); });
  // Named so top, perf and gdb show which thread is the Redis sink's.
  pthread_setname_np(worker->thread_.native_handle(), "herald-redis");
  return worker;
}

Worker::Worker(WorkerSettings settings, CompletionQueue& queue, Connection connection)
    : settings_(std::move(settings)),
      queue_(queue),
      maxlen_text_(std::to_string(settings_.maxlen)),
      connection_(std::move(connection)),
      last_progress_(steady_clock::now()) {}

Worker::~Worker() {
  stop(milliseconds(0));
}

bool Worker::submit(const Delivery& delivery) {
  if (in_flight_.load() >= settings_.max_in_flight) return false;
  Delivery copy = delivery;  // copied outside the lock the worker takes to swap the queue
  bool first = false;
  {
    const std::lock_guard lock(mutex_);
    if (stop_requested_) return false;
    // Counted before the worker can see it, so its completion never drives the count below 0.
    in_flight_.fetch_add(1);
    first = pending_.empty();
    pending_.push_back(std::move(copy));
  }
  // The worker takes the whole queue at once: only the first delivery of a batch needs to
  // wake it (an eventfd write per delivery would cost a syscall each).
  if (first) wake_.signal();
  return true;
}

void Worker::stop(milliseconds grace) {
  {
    const std::lock_guard lock(mutex_);
    if (!stop_requested_) {
      stop_requested_ = true;
      stop_deadline_ = steady_clock::now() + grace;
    }
  }
  if (thread_.joinable()) {
    wake_.signal();
    thread_.join();
  }
}

void Worker::run() {
  const SigpipeBlock no_sigpipe;  // for the thread's life: a closed socket gives EPIPE
  std::vector<Delivery> taken;
  while (true) {
    bool stopping = false;
    steady_clock::time_point deadline;
    std::optional<Connection> renewed;
    {
      const std::lock_guard lock(mutex_);
      taken.swap(pending_);
      renewed.swap(renewed_);
      stopping = stop_requested_;
      deadline = stop_deadline_;
    }
    if (renewed && !connection_) {
      connection_.emplace(std::move(renewed).value());
      held_ = false;
      last_progress_ = steady_clock::now();
      spdlog::info("{}: connected again", settings_.label);
    }
    for (auto& delivery : taken) queued_.push_back(std::move(delivery));
    taken.clear();
    const auto now = steady_clock::now();
    // A liveness PING is only ever alone or first in line: it keeps nothing waiting.
    const bool only_ping = awaiting_.size() == 1 && awaiting_.front().ping;
    const bool idle = queued_.empty() && (awaiting_.empty() || only_ping);
    if (stopping && (idle || now >= deadline)) break;
    if (connection_) {
      exchange(stopping, deadline);
    } else if (held_) {
      fail_queued(lost_reason_);
      wait_for_wake(stopping ? deadline : steady_clock::time_point::max());
    } else if (now >= next_attempt_) {
      reconnect();
    } else {
      wait_for_wake(stopping ? std::min(deadline, next_attempt_) : next_attempt_);
    }
  }
  abandon_all();
}

// One round on a live connection: write what is queued, wait for the socket, a submission
// or a deadline, then read and complete what arrived.
void Worker::exchange(bool stopping, steady_clock::time_point stop_deadline) {
  append_queued();
  if (connection_->has_output()) {
    if (auto flushed = connection_->flush(); !flushed) {
      drop_connection("connection lost: " + flushed.error().message);
      return;
    }
  }
  auto until = steady_clock::time_point::max();
  if (!awaiting_.empty()) {
    until = last_progress_ + settings_.command_timeout;
  } else if (settings_.ping_interval.count() > 0) {
    until = last_progress_ + settings_.ping_interval;
  }
  if (stopping) until = std::min(until, stop_deadline);
  // More is queued and the socket took everything so far: only look, then append more.
  if (!queued_.empty() && !connection_->has_output()) until = steady_clock::time_point::min();
  std::array<pollfd, 2> fds{};
  fds[0] = pollfd{wake_.fd(), POLLIN, 0};
  const short socket_events = connection_->has_output() ? POLLIN | POLLOUT : POLLIN;
  fds[1] = pollfd{connection_->fd(), socket_events, 0};
  if (::poll(fds.data(), fds.size(), poll_timeout(until)) < 0) return;  // EINTR: go round

  if ((fds[0].revents & POLLIN) != 0) wake_.reset();
  if ((fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
    // Read first, even on POLLHUP: replies that arrived before the close still count.
    if (auto read = connection_->read(); !read) {
      drop_connection("connection lost: " + read.error().message);
      return;
    }
    if (!collect_replies()) return;
  }
  if ((fds[1].revents & POLLOUT) != 0) {
    if (auto flushed = connection_->flush(); !flushed) {
      drop_connection("connection lost: " + flushed.error().message);
      return;
    }
  }
  if (!awaiting_.empty() && steady_clock::now() >= last_progress_ + settings_.command_timeout) {
    drop_connection(fmt::format("no reply within {} ms; closing the connection",
                                settings_.command_timeout.count()));
    return;
  }
  ping_if_idle();
}

// Nothing owed for `ping_interval`: ask for a PONG, so that a server that froze (or a peer
// that vanished without closing) turns the sink unhealthy through the reply timeout even
// while no delivery is sent. The next round writes it.
void Worker::ping_if_idle() {
  if (settings_.ping_interval.count() <= 0 || !awaiting_.empty() || !queued_.empty()) return;
  const auto now = steady_clock::now();
  if (now < last_progress_ + settings_.ping_interval) return;
  std::array<const char*, 1> argv{"PING"};
  std::array<std::size_t, 1> lengths{4};
  if (!connection_->append(1, argv.data(), lengths.data())) return;
  last_progress_ = now;
  awaiting_.push_back(Awaiting{0, "", true});
}

void Worker::append_queued() {
  if (connection_->has_output()) return;  // the socket has not taken the last batch yet
  std::size_t bytes = 0;
  while (!queued_.empty() && bytes < kMaxAppendBytes) {
    Delivery& delivery = queued_.front();
    std::array<const char*, kMaxArgs> argv{};
    std::array<std::size_t, kMaxArgs> lengths{};
    std::size_t argc = 0;
    const auto add = [&](std::string_view arg) {
      argv[argc] = arg.data();
      lengths[argc] = arg.size();
      ++argc;
    };
    if (settings_.command == Command::Xadd) {
      add("XADD");
      add(delivery.destination);
      if (settings_.maxlen > 0) {
        add("MAXLEN");
        add("~");
        add(maxlen_text_);
      }
      add("*");
      add("id");
      add(delivery.event_id);
      add("event");
      add(delivery.payload);
    } else {
      add("PUBLISH");
      add(delivery.destination);
      add(delivery.payload);
    }
    bytes += delivery.destination.size() + delivery.event_id.size() + delivery.payload.size();
    if (connection_->append(static_cast<int>(argc), argv.data(), lengths.data())) {
      // The timeout counts from the moment a reply is owed, not from the last one.
      if (awaiting_.empty()) last_progress_ = steady_clock::now();
      awaiting_.push_back(Awaiting{delivery.token, std::move(delivery.destination)});
    } else {
      finish(delivery.token, Outcome::Retry,
             fmt::format("{}: out of memory while queueing the command", settings_.label));
    }
    queued_.pop_front();
  }
}

// Completes the deliveries whose replies have arrived. False when the connection was
// dropped (a malformed or unexpected reply).
bool Worker::collect_replies() {
  bool progressed = false;
  while (true) {
    auto reply = connection_->next_reply();
    if (!reply) {
      drop_connection("protocol error: " + reply.error().message);
      return false;
    }
    if (!*reply) break;
    if (awaiting_.empty()) {
      drop_connection("a reply arrived that no command asked for");
      return false;
    }
    Awaiting done = std::move(awaiting_.front());
    awaiting_.pop_front();
    progressed = true;
    if (done.ping) continue;  // any answer shows the server alive
    Verdict verdict = judge_reply(**reply, settings_.command, done.key);
    finish(done.token, verdict.outcome, std::move(verdict.error));
  }
  if (progressed) last_progress_ = steady_clock::now();
  return true;
}

void Worker::reconnect() {
  auto opened =
      Connection::open(settings_.endpoint, settings_.connect_timeout, settings_.command_timeout);
  if (opened) {
    connection_.emplace(std::move(opened).value());
    last_progress_ = steady_clock::now();  // the handshake just answered
    last_connect_error_.clear();
    if (!connected_.exchange(true)) spdlog::info("{}: connected again", settings_.label);
    return;
  }
  const std::string& error = opened.error().message;
  if (error != last_connect_error_) {
    spdlog::warn("{}; retrying every {} ms", error, settings_.reconnect_wait.count());
    last_connect_error_ = error;
  }
  next_attempt_ = steady_clock::now() + settings_.reconnect_wait;
  if (settings_.wait_for_renew && !queued_.empty()) {
    held_ = true;  // deliveries fail now: nothing may follow them until renew()
    lost_reason_ = error;
  }
  fail_queued(error);
}

void Worker::renew() {
  if (!settings_.wait_for_renew || connected_.load()) return;
  auto opened =
      Connection::open(settings_.endpoint, settings_.connect_timeout, settings_.command_timeout);
  if (!opened) {
    spdlog::debug("{}", opened.error().message);
    return;
  }
  std::vector<Delivery> stale;
  {
    const std::lock_guard lock(mutex_);
    if (stop_requested_) return;
    stale.swap(pending_);
    renewed_.emplace(std::move(opened).value());
  }
  for (const auto& delivery : stale) {
    finish(delivery.token, Outcome::Retry,
           fmt::format("{}: dropped when the connection was renewed", settings_.label));
  }
  connected_.store(true);
  wake_.signal();
}

void Worker::wait_for_wake(steady_clock::time_point until) {
  pollfd fd{wake_.fd(), POLLIN, 0};
  if (::poll(&fd, 1, poll_timeout(until)) > 0) wake_.reset();
}

void Worker::drop_connection(const std::string& reason) {
  connection_.reset();
  const std::string error = fmt::format("{}: {}", settings_.label, reason);
  lost_reason_ = error;
  // Deliveries fail with the connection: with wait_for_renew nothing may follow them until
  // renew(). A connection lost while idle (or with a PING only) failed nothing, so the
  // worker reconnects by itself then, and health comes back without a renew().
  held_ = settings_.wait_for_renew && std::any_of(awaiting_.begin(), awaiting_.end(),
                                                  [](const Awaiting& a) { return !a.ping; });
  // Unhealthy before the first Retry is visible: whoever sees it sees the sink down too.
  if (connected_.exchange(false)) {
    spdlog::warn("{}; {}", error, held_ ? "waiting to be renewed" : "reconnecting");
  }
  for (const auto& awaiting : awaiting_) {
    if (!awaiting.ping) finish(awaiting.token, Outcome::Retry, error);
  }
  awaiting_.clear();
  // A reset or a restart is often over by the first attempt: make it at once.
  next_attempt_ = steady_clock::now();
}

void Worker::fail_queued(const std::string& reason) {
  for (const auto& delivery : queued_) finish(delivery.token, Outcome::Retry, reason);
  queued_.clear();
}

void Worker::abandon_all() {
  connected_.store(false);  // closed: unhealthy before the first completion shows it
  const std::string unconfirmed =
      fmt::format("{}: the sink closed before Redis confirmed the delivery", settings_.label);
  for (const auto& awaiting : awaiting_) {
    if (!awaiting.ping) finish(awaiting.token, Outcome::Retry, unconfirmed);
  }
  awaiting_.clear();
  std::vector<Delivery> rest;
  {
    const std::lock_guard lock(mutex_);
    rest.swap(pending_);
  }
  for (auto& delivery : rest) queued_.push_back(std::move(delivery));
  fail_queued(fmt::format("{}: the sink closed before sending the delivery", settings_.label));
  connection_.reset();
}

void Worker::finish(std::uint64_t token, Outcome outcome, std::string error) {
  // Out of flight before the completion is visible: a caller that sees it may submit again.
  in_flight_.fetch_sub(1);
  queue_.push(Completion{token, outcome, std::move(error), std::nullopt});
}

}  // namespace herald::sink::redis
