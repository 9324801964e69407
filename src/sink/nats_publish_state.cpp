#include "sink/nats_publish_state.hpp"

#include <utility>

#include "sink/nats_publish_outcome.hpp"

namespace herald::sink::nats {

void PublishState::track(std::uint64_t reply_id, std::uint64_t token, std::string subject) {
  const auto due = std::chrono::steady_clock::now() + ack_timeout_;
  const std::lock_guard lock(mutex_);
  tokens_.emplace(reply_id, Tracked{token, due, std::move(subject)});
  in_flight_.fetch_add(1, std::memory_order_acq_rel);
}

std::optional<std::uint64_t> PublishState::untrack(std::uint64_t reply_id) {
  const std::lock_guard lock(mutex_);
  const auto found = tokens_.find(reply_id);
  if (found == tokens_.end()) return std::nullopt;
  const std::uint64_t token = found->second.token;
  tokens_.erase(found);
  // The caller completes it through finish(), which counts it down.
  return token;
}

bool PublishState::complete(std::uint64_t reply_id, const std::optional<PublishFailure>& failure) {
  const std::lock_guard lock(mutex_);
  const auto found = tokens_.find(reply_id);
  if (found == tokens_.end()) return false;
  push_locked(failure ? failed(found->second, *failure)
                      : Completion{found->second.token, Outcome::Delivered, {}, std::nullopt});
  tokens_.erase(found);
  return true;
}

void PublishState::expire_overdue(std::chrono::steady_clock::time_point now) {
  const std::lock_guard lock(mutex_);
  for (auto it = tokens_.begin(); it != tokens_.end();) {
    if (it->second.due > now) {
      ++it;
      continue;
    }
    push_locked(failed(it->second, {NATS_TIMEOUT, 0, natsStatus_GetText(NATS_TIMEOUT)}));
    it = tokens_.erase(it);
  }
}

void PublishState::fail_all(const PublishFailure& failure) {
  const std::lock_guard lock(mutex_);
  for (const auto& [reply_id, tracked] : tokens_) push_locked(failed(tracked, failure));
  tokens_.clear();
}

Completion PublishState::failed(const Tracked& tracked, const PublishFailure& failure) const {
  return Completion{tracked.token, classify_publish_failure(failure),
                    describe_publish_failure(failure, tracked.subject, ack_timeout_), std::nullopt};
}

void PublishState::begin() {
  in_flight_.fetch_add(1, std::memory_order_acq_rel);
}

void PublishState::finish(Completion completion) {
  const std::lock_guard lock(mutex_);
  push_locked(std::move(completion));
}

void PublishState::close(const std::string& reason) {
  const std::lock_guard lock(mutex_);
  if (closed_) return;
  for (const auto& [reply_id, tracked] : tokens_) {
    push_locked(Completion{tracked.token, Outcome::Retry, reason, std::nullopt});
  }
  tokens_.clear();
  closed_ = true;
}

bool PublishState::closed() const {
  const std::lock_guard lock(mutex_);
  return closed_;
}

void PublishState::push_locked(Completion completion) {
  // After close() every delivery has had its one completion; a late ack changes nothing.
  if (closed_) return;
  // Counted down first: whoever drains the completion must not still see it in flight.
  in_flight_.fetch_sub(1, std::memory_order_acq_rel);
  queue_.push(std::move(completion));
}

namespace {

struct Registry {
  std::mutex mutex;
  std::uint64_t next_id = 1;
  std::unordered_map<std::uint64_t, std::shared_ptr<PublishState>> states;
};

Registry& registry() {
  // Sinks unregister before they go, so by static destruction at exit no callback can
  // still be headed for a state.
  static Registry instance;
  return instance;
}

}  // namespace

std::uint64_t register_state(std::shared_ptr<PublishState> state) {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  const std::uint64_t id = r.next_id++;
  r.states.emplace(id, std::move(state));
  return id;
}

void unregister_state(std::uint64_t id) {
  std::shared_ptr<PublishState> last;  // released outside the lock
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  const auto found = r.states.find(id);
  if (found == r.states.end()) return;
  last = std::move(found->second);
  r.states.erase(found);
}

std::shared_ptr<PublishState> find_state(void* closure) noexcept {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  const auto found = r.states.find(reinterpret_cast<std::uintptr_t>(closure));
  return found == r.states.end() ? nullptr : found->second;
}

void* closure_of(std::uint64_t id) {
  // The id travels through nats.c as its `void* closure`; it is never dereferenced.
  return reinterpret_cast<void*>  // NOLINT(performance-no-int-to-ptr)
      (static_cast<std::uintptr_t>(id));
}

}  // namespace herald::sink::nats
