#pragma once
// What the listener and every session share: settings, the router, the count of open
// connections (for max_connections) and the live sessions (so stop() can reach them).

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "server/router.hpp"
#include "server/settings.hpp"

namespace herald::server {

class HttpSession;

class SharedState {
 public:
  SharedState(Settings settings, Router router)
      : settings_(std::move(settings)), router_(std::move(router)) {}

  const Settings& settings() const { return settings_; }
  const Router& router() const { return router_; }

  // Admission: false when max_connections are open (or the server is stopping).
  bool try_join(HttpSession* session, const std::shared_ptr<HttpSession>& owner);
  void leave(HttpSession* session);

  bool stopping() const { return stopping_.load(); }

  // Runs `post` (which hands work to the io_context) unless the io_context is gone:
  // replies from worker threads may arrive after the server was destroyed.
  template <typename Post>
  void if_io_alive(Post&& post) {
    std::lock_guard lock(mutex_);
    if (io_alive_) post();
  }
  void io_gone() {
    std::lock_guard lock(mutex_);
    io_alive_ = false;
  }
  // Asks every session to finish its request in flight and close.
  void stop_sessions();
  // Waits until every session has left, at most `timeout`; true when they all did.
  bool wait_until_empty(std::chrono::milliseconds timeout);

 private:
  const Settings settings_;
  const Router router_;
  std::atomic<bool> stopping_{false};
  bool io_alive_ = true;
  std::mutex mutex_;
  std::condition_variable empty_;
  std::unordered_map<HttpSession*, std::weak_ptr<HttpSession>> sessions_;
};

}  // namespace herald::server
