#include "server/shared_state.hpp"

#include <vector>

#include "server/http_session.hpp"

namespace herald::server {

bool SharedState::try_join(HttpSession* session, const std::shared_ptr<HttpSession>& owner) {
  std::lock_guard lock(mutex_);
  if (stopping_.load() || sessions_.size() >= settings_.max_connections) return false;
  sessions_.emplace(session, owner);
  return true;
}

void SharedState::leave(HttpSession* session) {
  std::lock_guard lock(mutex_);
  sessions_.erase(session);
  if (sessions_.empty()) empty_.notify_all();
}

void SharedState::stop_sessions() {
  std::vector<std::shared_ptr<HttpSession>> live;
  {
    std::lock_guard lock(mutex_);
    stopping_.store(true);
    for (auto& [raw, weak] : sessions_) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  // Outside the lock: a session leaving from its destructor takes it.
  for (auto& session : live) session->stop();
}

bool SharedState::wait_until_empty(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return empty_.wait_for(lock, timeout, [&] { return sessions_.empty(); });
}

}  // namespace herald::server
