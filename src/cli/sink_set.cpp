#include "cli/sink_set.hpp"

#include <fmt/format.h>

#include <set>
#include <thread>

#include "sink/redis_sink.hpp"
#include "sink/webhook_sink.hpp"

namespace herald::cli {
namespace {

bool covered_by_prefix(const std::string& subject, const std::string& prefix) {
  return subject.size() > prefix.size() + 1 && subject.compare(0, prefix.size(), prefix) == 0 &&
         subject[prefix.size()] == '.';
}

}  // namespace

std::vector<std::string> stream_subjects(const config::Observers& obs) {
  std::set<std::string> extra;
  auto add = [&](const std::optional<std::string>& s) {
    if (s && !s->empty() && !covered_by_prefix(*s, obs.subject_prefix)) extra.insert(*s);
  };
  for (const auto& r : obs.rules) {
    if (r.actions.empty() && obs.backend == config::Backend::Nats) add(r.subject);
    for (const auto& a : r.actions) {
      if (a.type == config::ActionType::Nats) add(a.subject ? a.subject : r.subject);
    }
  }
  if (obs.backend == config::Backend::Nats) {
    for (const auto& p : obs.publish) add(p.subject);
    add(obs.dlq_subject);
  }
  std::vector<std::string> out{obs.subject_prefix + ".>"};
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

Result<sink::Sink*> SinkSet::nats() {
  if (nats_) return static_cast<sink::Sink*>(nats_.get());
  if (!observers_.nats_url) return Error{"a rule delivers to NATS but [observers] has no nats_url"};
  sink::NatsSinkSettings settings;
  settings.url = *observers_.nats_url;
  settings.jetstream = observers_.jetstream;
  settings.stream = observers_.stream;
  settings.subjects = stream_subjects(observers_);
  // Publishes made while NATS is away must fail at once rather than wait in nats.c's
  // reconnect buffer: capture replays them from the slot in commit order, and buffered
  // later events sent on reconnect would land before that replay.
  settings.reconnect_buffer_bytes = 1;
  settings.acks_polled = true;  // the capture loop reads them (Pipeline::collect_completions)
  settings.chain_after = 16;    // the stream took 16 of herald's messages in a row
  // A Retry ends the capture session and the slot replays from that event: nothing later
  // may reach the stream first (e.g. through another server of a cluster, after the one
  // that lost the earlier publishes went away).
  settings.fence_after_retry = true;
  auto connected = RenewableNatsSink::connect(settings, completions_);
  if (!connected) return connected.error();
  nats_ = std::move(*connected);
  return static_cast<sink::Sink*>(nats_.get());
}

Result<sink::Sink*> SinkSet::redis() {
  if (redis_) return redis_.get();
  if (!observers_.redis_url)
    return Error{"a rule delivers to Redis but [observers] has no redis_url"};
  sink::RedisSinkSettings settings;
  settings.url = *observers_.redis_url;
  settings.mode = observers_.redis_mode == config::RedisMode::Stream ? sink::RedisMode::Stream
                                                                     : sink::RedisMode::PubSub;
  settings.maxlen = observers_.redis_maxlen;
  // As for NATS: after a lost connection nothing may reach Redis before the replay from
  // the slot, so the sink stays down until the capture loop renews it.
  settings.wait_for_renew = true;
  auto connected = sink::RedisSink::connect(settings, completions_);
  if (!connected) return connected.error();
  redis_ = std::move(*connected);
  return redis_.get();
}

Result<std::unique_ptr<sink::Sink>> SinkSet::open_webhook(
    const config::Action& action, sink::CompletionQueue& completions) const {
  if (!action.url) return Error{"a webhook action has no url"};
  sink::WebhookSinkSettings settings;
  settings.url = action.url->value;
  settings.headers = action.headers;
  if (action.secret) settings.secret = action.secret->value;
  settings.timeout = std::chrono::milliseconds(action.timeout_ms);
  auto created = sink::WebhookSink::create(std::move(settings), completions);
  if (!created) return created.error();
  return std::unique_ptr<sink::Sink>(std::move(*created));
}

Result<sink::Sink*> SinkSet::for_action(const config::Action* action) {
  if (action == nullptr) {
    switch (observers_.backend) {
      case config::Backend::Nats:
        return nats();
      case config::Backend::Redis:
        return redis();
      case config::Backend::Webhook:
        return Error{"the webhook backend needs [[observers.actions]] with a url"};
    }
  }
  switch (action->type) {
    case config::ActionType::Nats:
      return nats();
    case config::ActionType::Redis:
      return redis();
    case config::ActionType::Webhook: {
      auto& slot = webhooks_[action];
      if (!slot) {
        auto opened = open_webhook(*action, completions_);
        if (!opened) return opened.error();
        slot = std::move(*opened);
      }
      return slot.get();
    }
  }
  return Error{"unknown action type"};
}

Result<std::unique_ptr<sink::Sink>> SinkSet::open_for_retries(
    const config::Action& action, sink::CompletionQueue& completions) const {
  return open_webhook(action, completions);
}

std::vector<sink::Sink*> SinkSet::brokers() const {
  std::vector<sink::Sink*> out;
  if (nats_) out.push_back(nats_.get());
  if (redis_) out.push_back(redis_.get());
  return out;
}

bool SinkSet::all_brokers_healthy() const {
  for (auto* b : brokers()) {
    if (!b->healthy()) return false;
  }
  return true;
}

void SinkSet::close(std::chrono::milliseconds grace) {
  auto deadline = std::chrono::steady_clock::now() + grace;
  auto busy = [&] {
    std::size_t n = 0;
    for (auto* b : brokers()) n += b->in_flight();
    for (const auto& [a, s] : webhooks_) n += s->in_flight();
    return n;
  };
  while (busy() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (nats_) nats_->close(std::chrono::milliseconds(0));
  webhooks_.clear();
  redis_.reset();
  nats_.reset();
}

}  // namespace herald::cli
