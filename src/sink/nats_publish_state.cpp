#include "sink/nats_publish_state.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

#include <fmt/format.h>

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
  observed_.consecutive = 0;
  // The caller completes it through finish(), which counts it down.
  return token;
}

bool PublishState::complete(std::uint64_t reply_id, const PublishAck& ack) {
  const std::lock_guard lock(mutex_);
  const auto found = tokens_.find(reply_id);
  if (found == tokens_.end()) return confirm_links_locked(reply_id, ack);
  observe_locked(reply_id, ack);
  push_locked(ack.stored ? Completion{found->second.token, Outcome::Delivered, {}, std::nullopt}
                         : failed(found->second, ack.failure()));
  tokens_.erase(found);
  return true;
}

void PublishState::observe_locked(std::uint64_t reply_id, const PublishAck& ack) {
  if (!ack.stored || ack.duplicate) {
    observed_.consecutive = 0;
    return;
  }
  const bool next = observed_.consecutive > 0 && ack.sequence == observed_.sequence + 1;
  observed_ = Observed{reply_id, ack.sequence, next ? observed_.consecutive + 1 : 1};
}

// An ack that asked for a link: it confirms every link up to its own when its message was
// stored fresh exactly where the chain put it. Anything else breaks the chain.
bool PublishState::confirm_links_locked(std::uint64_t reply_id, const PublishAck& ack) {
  const auto last = std::find_if(links_.begin(), links_.end(),
                                 [reply_id](const Link& l) { return l.reply_id == reply_id; });
  if (last == links_.end()) return false;
  if (!ack.stored) {
    break_chain_locked(describe_publish_failure(ack.failure(), last->subject, ack_timeout_));
    return true;
  }
  if (ack.duplicate || ack.sequence != last->sequence) {
    break_chain_locked(ack.duplicate ? "the stream already held a message of the chain"
                                     : fmt::format("stored at sequence {} instead of {}",
                                                   ack.sequence, last->sequence));
    return true;
  }
  for (auto it = links_.begin(); it != std::next(last); ++it) {
    push_locked(Completion{it->token, Outcome::Delivered, {}, std::nullopt});
  }
  links_.erase(links_.begin(), std::next(last));
  return true;
}

PublishState::Observed PublishState::observed() const {
  const std::lock_guard lock(mutex_);
  return observed_;
}

bool PublishState::start_chain() {
  const std::lock_guard lock(mutex_);
  if (!links_.empty() || closed_) return false;
  chain_ = ChainState::On;
  return true;
}

bool PublishState::link(std::uint64_t reply_id, std::uint64_t token, std::string subject,
                        std::uint64_t sequence) {
  const auto due = std::chrono::steady_clock::now() + ack_timeout_;
  const std::lock_guard lock(mutex_);
  if (chain_ != ChainState::On || closed_) return false;
  links_.push_back(Link{reply_id, token, sequence, due, std::move(subject)});
  in_flight_.fetch_add(1, std::memory_order_acq_rel);
  return true;
}

void PublishState::break_chain(const std::string& why) {
  const std::lock_guard lock(mutex_);
  break_chain_locked(why);
}

void PublishState::break_chain_locked(const std::string& why) {
  // Which links the stream holds is unknown: all go back, and the stream dedupes those it
  // stored when they come again.
  const std::string error =
      fmt::format("a chained publish was not confirmed ({}); it is sent again on its own", why);
  for (const auto& l : links_)
    push_locked(Completion{l.token, Outcome::Retry, error, std::nullopt});
  links_.clear();
  if (chain_ == ChainState::On) chain_ = ChainState::Broken;
  observed_.consecutive = 0;
}

bool PublishState::chained() const {
  const std::lock_guard lock(mutex_);
  return chain_ == ChainState::On;
}

void PublishState::end_chain() {
  const std::lock_guard lock(mutex_);
  chain_ = ChainState::Off;
  observed_.consecutive = 0;
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
    observed_.consecutive = 0;
  }
  if (!links_.empty() && links_.front().due <= now) {
    break_chain_locked(fmt::format("no JetStream ack within {} ms", ack_timeout_.count()));
  }
}

void PublishState::fail_all(const PublishFailure& failure) {
  const std::lock_guard lock(mutex_);
  for (const auto& [reply_id, tracked] : tokens_) push_locked(failed(tracked, failure));
  tokens_.clear();
  observed_.consecutive = 0;
  if (!links_.empty()) {
    break_chain_locked(describe_publish_failure(failure, links_.front().subject, ack_timeout_));
  }
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
  for (const auto& l : links_)
    push_locked(Completion{l.token, Outcome::Retry, reason, std::nullopt});
  tokens_.clear();
  links_.clear();
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
  if (completion.outcome == Outcome::Retry) retried_.store(true, std::memory_order_release);
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
