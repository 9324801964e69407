#pragma once
// The Redis sink's thread. It owns the one connection and writes every delivery on it in
// submission order, pipelined: commands go out as soon as they are queued while replies to
// earlier ones are still coming back, and each reply completes the oldest delivery still
// waiting (Redis answers a connection's commands in order). Other threads only queue
// deliveries (under a mutex) and wake it through an eventfd.
//
// A lost connection (the server closed it, a socket error, or no reply for
// `command_timeout` while replies are owed; an idle connection is checked with a PING
// every `ping_interval`, so a frozen server shows while nothing is sent) completes every delivery
// written on it as Retry: whether Redis applied the last commands cannot be known. Deliveries not
// yet written wait for the next connection attempt (immediately after a loss, then every
// `reconnect_wait`); when an attempt fails, those waiting complete as Retry, so nothing
// waits longer than one attempt.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sink/completion_queue.hpp"
#include "sink/redis_connection.hpp"
#include "sink/redis_reply.hpp"
#include "sink/redis_url.hpp"
#include "sink/sink.hpp"

namespace herald::sink::redis {

struct WorkerSettings {
  Endpoint endpoint;
  Command command = Command::Xadd;
  std::int64_t maxlen = 0;  // XADD MAXLEN ~ N when > 0
  std::size_t max_in_flight = 8192;
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds command_timeout{5000};
  std::chrono::milliseconds reconnect_wait{500};
  std::chrono::milliseconds ping_interval{5000};  // PING an idle connection this often; 0: never
  // Once deliveries failed with a lost connection (or a failed reconnection), complete
  // everything else (queued and submitted later) as Retry and stay disconnected until
  // renew(), instead of reconnecting by itself. A loss that failed nothing (an idle
  // connection) is reconnected as usual.
  bool wait_for_renew = false;
  std::string label;  // "redis host:port/db", for logs and errors
};

// An eventfd, closed with its owner.
class WakeFd {
 public:
  WakeFd();  // throws std::runtime_error when the system has no eventfd left
  ~WakeFd();
  WakeFd(const WakeFd&) = delete;
  WakeFd& operator=(const WakeFd&) = delete;
  int fd() const { return fd_; }
  void signal();
  void reset();

 private:
  int fd_ = -1;
};

class Worker {
 public:
  // Starts the thread with an open connection.
  static std::unique_ptr<Worker> start(WorkerSettings settings, CompletionQueue& queue,
                                       Connection connection);
  Worker(WorkerSettings settings, CompletionQueue& queue, Connection connection);  // use start()
  ~Worker();                                                                       // stop({})
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Queues a delivery; false when max_in_flight are outstanding or after stop().
  bool submit(const Delivery& delivery);

  std::size_t in_flight() const { return in_flight_.load(); }
  bool connected() const { return connected_.load(); }

  // With wait_for_renew, after a loss: connects on the calling thread (the submitting one)
  // and hands the connection to the worker. Deliveries submitted before this call and not
  // yet taken by the worker complete as Retry and are never written, so nothing from
  // before the loss lands behind what is submitted from now on. A no-op while connected,
  // or without wait_for_renew (the worker reconnects by itself then).
  void renew();

  // Lets queued and written deliveries finish for up to `grace`, completes the rest as
  // Retry, closes the connection and joins the thread. Idempotent.
  void stop(std::chrono::milliseconds grace);

 private:
  struct Awaiting {
    std::uint64_t token;
    std::string key;    // for the error text of a failed reply
    bool ping = false;  // the worker's own liveness check: no delivery to complete
  };

  void run();
  void exchange(bool stopping, std::chrono::steady_clock::time_point stop_deadline);
  void reconnect();
  void wait_for_wake(std::chrono::steady_clock::time_point until);
  void append_queued();
  bool collect_replies();
  void ping_if_idle();
  void drop_connection(const std::string& reason);
  void fail_queued(const std::string& reason);
  void abandon_all();
  void finish(std::uint64_t token, Outcome outcome, std::string error);

  WorkerSettings settings_;
  CompletionQueue& queue_;
  std::string maxlen_text_;

  // The worker thread's own.
  std::optional<Connection> connection_;
  std::deque<Delivery> queued_;                          // taken from pending_, not written yet
  std::deque<Awaiting> awaiting_;                        // written; replies owed in this order
  std::chrono::steady_clock::time_point last_progress_;  // a reply arrived / first owed
  std::chrono::steady_clock::time_point next_attempt_;
  std::string last_connect_error_;
  std::string lost_reason_;  // why the connection went, for what fails while waiting to renew
  bool held_ = false;        // wait_for_renew, and deliveries failed: no connection until renew()

  std::mutex mutex_;  // guards pending_, renewed_ and the stop request
  std::vector<Delivery> pending_;
  std::optional<Connection> renewed_;  // from renew(), for the worker to take
  bool stop_requested_ = false;
  std::chrono::steady_clock::time_point stop_deadline_;

  std::atomic<std::size_t> in_flight_{0};
  std::atomic<bool> connected_{true};
  WakeFd wake_;
  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace herald::sink::redis
