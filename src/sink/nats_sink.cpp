#include "sink/nats_sink.hpp"

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <mutex>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "sink/nats_core_flusher.hpp"
#include "sink/nats_publish_ack.hpp"
#include "sink/nats_publish_outcome.hpp"
#include "sink/nats_stream.hpp"
#include "sink/nats_subjects.hpp"

namespace herald::sink {

namespace {

constexpr const char* kMsgIdHeader = "Nats-Msg-Id";
constexpr const char* kExpectedLastSequenceHeader = "Nats-Expected-Last-Sequence";
constexpr const char* kExpectedLastMsgIdHeader = "Nats-Expected-Last-Msg-Id";
constexpr int kMaxPingsOut = 2;

// --- C callbacks: exceptions must not cross into nats.c, and the sink may be gone. ---

void on_disconnected(natsConnection* /*connection*/, void* closure) noexcept {
  const auto state = nats::find_state(closure);
  if (!state || state->closed()) return;
  if (state->set_connected(false)) {
    spdlog::warn("{}: disconnected; reconnecting", state->label());
  }
}

void on_reconnected(natsConnection* /*connection*/, void* closure) noexcept {
  const auto state = nats::find_state(closure);
  if (!state || state->closed()) return;
  if (state->set_connected(true)) spdlog::info("{}: reconnected", state->label());
}

void on_async_error(natsConnection* /*connection*/, natsSubscription* /*subscription*/,
                    natsStatus status, void* closure) noexcept {
  const auto state = nats::find_state(closure);
  if (!state || state->closed()) return;
  // Permission violations and the like arrive here, not as a publish result.
  spdlog::error("{}: asynchronous error: {}", state->label(), natsStatus_GetText(status));
}

std::string label_of(const NatsSinkSettings& settings) {
  return fmt::format("nats {}", nats::redact_url(settings.url));
}

}  // namespace

Result<std::unique_ptr<NatsSink>> NatsSink::connect(NatsSinkSettings settings,
                                                    CompletionQueue& completions) {
  // The connection callbacks log from nats.c's threads: spdlog's registry is made here,
  // before those threads start, not lazily by whichever thread logs first.
  static_cast<void>(spdlog::default_logger_raw());
  auto state =
      std::make_shared<nats::PublishState>(completions, label_of(settings), settings.ack_timeout);
  const std::uint64_t id = nats::register_state(state);
  auto sink = std::make_unique<NatsSink>(PrivateTag{}, std::move(settings), std::move(state), id);
  auto opened = sink->open();
  if (!opened) return opened.error();
  return sink;
}

NatsSink::NatsSink(PrivateTag /*tag*/, NatsSinkSettings settings,
                   std::shared_ptr<nats::PublishState> state, std::uint64_t state_id)
    : settings_(std::move(settings)), state_(std::move(state)), state_id_(state_id) {}

NatsSink::~NatsSink() {
  close(std::chrono::milliseconds(0));
}

Result<void> NatsSink::open() {
  natsOptions* raw_options = nullptr;
  natsStatus status = natsOptions_Create(&raw_options);
  const nats::OptionsPtr options(raw_options);
  void* closure = nats::closure_of(state_id_);
  const auto set = [&status](natsStatus next) {
    if (status == NATS_OK) status = next;
  };
  const std::vector<std::string> servers = nats::server_urls(settings_.url);
  std::vector<const char*> server_ptrs;
  for (const auto& url : servers) server_ptrs.push_back(url.c_str());
  set(server_ptrs.empty() ? natsOptions_SetURL(options.get(), settings_.url.c_str())
                          : natsOptions_SetServers(options.get(), server_ptrs.data(),
                                                   static_cast<int>(server_ptrs.size())));
  set(natsOptions_SetName(options.get(), settings_.connection_name.c_str()));
  set(natsOptions_SetTimeout(options.get(), settings_.connect_timeout.count()));
  set(natsOptions_SetMaxReconnect(options.get(), -1));  // forever: herald outlives outages
  set(natsOptions_SetReconnectWait(options.get(), settings_.reconnect_wait.count()));
  set(natsOptions_SetReconnectBufSize(options.get(), settings_.reconnect_buffer_bytes));
  set(natsOptions_SetPingInterval(options.get(), settings_.ping_interval.count()));
  set(natsOptions_SetMaxPingsOut(options.get(), kMaxPingsOut));
  set(natsOptions_SetDisconnectedCB(options.get(), &on_disconnected, closure));
  set(natsOptions_SetReconnectedCB(options.get(), &on_reconnected, closure));
  set(natsOptions_SetErrorHandler(options.get(), &on_async_error, closure));
  if (status != NATS_OK) {
    return make_error(fmt::format("invalid NATS options for {}: {}", label_of(settings_),
                                  nats::status_text(status)));
  }

  natsConnection* raw_connection = nullptr;
  status = natsConnection_Connect(&raw_connection, options.get());
  connection_.reset(raw_connection);
  if (status != NATS_OK) {
    return make_error(fmt::format("cannot connect to NATS at {}: {}",
                                  nats::redact_url(settings_.url), nats::status_text(status)));
  }
  state_->set_connected(natsConnection_Status(connection_.get()) == NATS_CONN_STATUS_CONNECTED);

  if (!settings_.jetstream) {
    flusher_ =
        std::make_unique<nats::CoreFlusher>(connection_.get(), state_, settings_.ack_timeout);
    return {};
  }
  jsOptions js_options;
  jsOptions_Init(&js_options);
  js_options.Wait = settings_.ack_timeout.count();  // stream management requests
  jsCtx* raw_js = nullptr;
  status = natsConnection_JetStream(&raw_js, connection_.get(), &js_options);
  js_.reset(raw_js);
  if (status != NATS_OK) {
    return make_error(fmt::format("cannot create a JetStream context on {}: {}",
                                  label_of(settings_), nats::status_text(status)));
  }

  // Acks come back on a private inbox, one reply subject per publish.
  natsInbox* raw_inbox = nullptr;
  status = natsInbox_Create(&raw_inbox);
  if (status == NATS_OK) {
    inbox_ = std::string(raw_inbox) + ".";
    natsInbox_Destroy(raw_inbox);
    natsSubscription* raw_acks = nullptr;
    status = natsConnection_SubscribeSync(&raw_acks, connection_.get(), (inbox_ + "*").c_str());
    acks_.reset(raw_acks);
  }
  // max_in_flight bounds what can queue here; nats.c's default limit could drop acks.
  if (status == NATS_OK) status = natsSubscription_SetPendingLimits(acks_.get(), -1, -1);
  if (status != NATS_OK) {
    return make_error(fmt::format("cannot subscribe to JetStream acks on {}: {}",
                                  label_of(settings_), nats::status_text(status)));
  }
  // Overdue acks are noticed within a quarter of the timeout (at most 250 ms late).
  const auto period = std::clamp(settings_.ack_timeout / 4, std::chrono::milliseconds(10),
                                 std::chrono::milliseconds(250));
  ack_reader_ =
      std::jthread([this, period](const std::stop_token& stop) { read_acks_until(stop, period); });
  return {};
}

void NatsSink::read_acks_until(const std::stop_token& stop, std::chrono::milliseconds period) {
  std::mutex mutex;
  std::condition_variable_any wake;
  std::unique_lock lock(mutex);
  nats::SpentMsgs spent;
  auto next_sweep = std::chrono::steady_clock::now() + period;
  while (!stop.stop_requested()) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= next_sweep) {
      state_->expire_overdue(now);
      next_sweep = now + period;
    }
    const auto until_sweep =
        std::chrono::ceil<std::chrono::milliseconds>(next_sweep - std::chrono::steady_clock::now());
    if (settings_.acks_polled) {
      // The owner reads the acks; this look is only a safety net for an owner that has
      // stopped polling (e.g. while it closes the sink).
      wake.wait_for(lock, stop, until_sweep, [] { return false; });
      if (!drain_acks(std::chrono::milliseconds(0), spent)) return;
    } else if (!drain_acks(std::max(until_sweep, std::chrono::milliseconds(1)), spent)) {
      return;
    }
  }
}

std::optional<std::size_t> NatsSink::drain_acks(std::chrono::milliseconds wait,
                                                nats::SpentMsgs& spent) {
  std::int64_t timeout = wait.count();
  std::size_t read = 0;
  while (true) {
    natsMsg* raw = nullptr;
    const natsStatus status = natsSubscription_NextMsg(&raw, acks_.get(), timeout);
    timeout = 0;  // only the first look waits
    switch (status) {
      case NATS_OK:
        settle(raw);
        spent.add(nats::MsgPtr(raw));
        ++read;
        break;
      case NATS_TIMEOUT:
        return read;
      case NATS_NO_RESPONDERS:
        // nats.c drops the reply itself, so which publish found no stream is unknown: all
        // in flight are retried (the stream dedupes those it did store). It happens when
        // JetStream or the stream is gone, when every publish in flight fails anyway.
        state_->fail_all(nats::PublishFailure{NATS_NO_RESPONDERS, 0, {}});
        break;
      case NATS_SLOW_CONSUMER:
        // Not with unlimited pending limits; were acks dropped, their publishes would
        // time out and be retried.
        spdlog::warn("{}: JetStream acks were dropped", state_->label());
        break;
      default:
        return std::nullopt;  // the subscription is closed
    }
  }
}

void NatsSink::settle(natsMsg* ack) {
  const std::string_view subject = natsMsg_GetSubject(ack);
  if (!subject.starts_with(inbox_)) return;
  const std::string_view id_text = subject.substr(inbox_.size());
  std::uint64_t reply_id = 0;
  const auto parsed = std::from_chars(id_text.data(), id_text.data() + id_text.size(), reply_id);
  if (parsed.ec != std::errc{} || parsed.ptr != id_text.data() + id_text.size()) return;
  const std::string_view reply(natsMsg_GetData(ack),
                               static_cast<std::size_t>(natsMsg_GetDataLength(ack)));
  state_->complete(reply_id, nats::read_publish_ack(reply));
}

void NatsSink::poll() {
  if (!acks_ || !settings_.acks_polled || closed_) return;
  if (chaining_ && !state_->chained()) stop_chaining(/*broken=*/true);
  if (holding()) send_held(/*ask_ack=*/true);
  if (const auto read = drain_acks({}, spent_)) {
    acks_read_by_poll_.fetch_add(*read, std::memory_order_relaxed);
  }
}

void NatsSink::rewind() {
  if (chaining_) stop_chaining(/*broken=*/!state_->chained());
  state_->unfence();  // what comes next is the replay from the failed delivery on
}

Result<void> NatsSink::ensure_stream() {
  if (!settings_.jetstream) return {};
  if (!js_) return make_error(fmt::format("{} is closed", describe()));
  const nats::StreamRequirements requirements{settings_.stream, settings_.subjects,
                                              settings_.duplicate_window};
  auto action = nats::ensure_stream(js_.get(), requirements);
  if (!action) return action.error();
  switch (*action) {
    case nats::StreamAction::Created:
      spdlog::info("{}: created JetStream stream '{}'", label_of(settings_), settings_.stream);
      break;
    case nats::StreamAction::Updated:
      spdlog::info("{}: updated JetStream stream '{}' (subjects / duplicate window)",
                   label_of(settings_), settings_.stream);
      break;
    case nats::StreamAction::Unchanged:
      break;
  }
  return {};
}

bool NatsSink::submit(const Delivery& delivery) {
  if (closed_ || in_flight() >= settings_.max_in_flight) return false;
  if (fenced(delivery)) return true;
  switch (chaining_for(delivery)) {
    case Chaining::Wait:
      return false;
    case Chaining::Link:
      if (link(delivery)) return true;
      // The chain broke just now: this one goes on its own, unless that failure fenced.
      if (fenced(delivery)) return true;
      break;
    case Chaining::Alone:
      break;
  }
  const std::uint64_t reply_id = next_reply_id_++;
  if (settings_.jetstream) {
    reply_subject_.assign(inbox_);  // keeps its capacity
    reply_subject_ += std::to_string(reply_id);
    newest_reply_id_ = reply_id;
    newest_msg_id_.assign(delivery.event_id);
  }
  natsMsg* raw = nullptr;
  natsStatus status = natsMsg_Create(
      &raw, delivery.destination.c_str(), settings_.jetstream ? reply_subject_.c_str() : nullptr,
      delivery.payload.data(), static_cast<int>(delivery.payload.size()));
  nats::MsgPtr msg(raw);
  if (status == NATS_OK && !delivery.event_id.empty()) {
    status = natsMsgHeader_Set(msg.get(), kMsgIdHeader, delivery.event_id.c_str());
  }
  if (status != NATS_OK) {
    state_->begin();
    fail_now(delivery.token, status, delivery.destination);
    return true;
  }
  if (settings_.jetstream) {
    publish_jetstream(msg, reply_id, delivery);
  } else {
    publish_core(msg, delivery);
  }
  spent_.add(std::move(msg));
  return true;
}

bool NatsSink::fenced(const Delivery& delivery) {
  if (!settings_.fence_after_retry || !state_->retried()) return false;
  if (chaining_) stop_chaining(/*broken=*/true);
  state_->begin();
  state_->finish(Completion{
      delivery.token, Outcome::Retry,
      "not sent: an earlier delivery failed, and everything from it on is sent again in order",
      std::nullopt});
  return true;
}

NatsSink::Chaining NatsSink::chaining_for(const Delivery& delivery) {
  if (settings_.chain_after == 0 || !settings_.acks_polled || !settings_.jetstream) {
    return Chaining::Alone;
  }
  if (chaining_ && !state_->chained()) stop_chaining(/*broken=*/true);
  if (delivery.event_id.empty()) {  // a link needs an id for the next to name
    if (chaining_) stop_chaining(/*broken=*/false);
    return Chaining::Alone;
  }
  if (chaining_) return Chaining::Link;
  if (std::chrono::steady_clock::now() < chain_resumes_at_) return Chaining::Alone;
  const auto seen = state_->observed();
  if (seen.consecutive < settings_.chain_after) return Chaining::Alone;
  // The stream's last message is known once every ack is in: wait for them.
  if (state_->in_flight() > 0) return Chaining::Wait;
  if (seen.reply_id != newest_reply_id_ || newest_msg_id_.empty() || !state_->start_chain()) {
    return Chaining::Alone;
  }
  chaining_ = true;
  tail_sequence_ = seen.sequence;
  tail_id_ = newest_msg_id_;
  links_since_ack_ = 0;
  spdlog::debug("{}: linking publishes from sequence {}", state_->label(), tail_sequence_ + 1);
  return Chaining::Link;
}

bool NatsSink::link(const Delivery& delivery) {
  if (holding()) {
    send_held(/*ask_ack=*/links_since_ack_ + 1 >= settings_.links_per_ack);
    if (!state_->chained()) {
      stop_chaining(/*broken=*/true);
      return false;
    }
  }
  // Assigned into the strings of the link held before: no allocation per event once their
  // capacity has grown to the events' size.
  held_.delivery.token = delivery.token;
  held_.delivery.event_id.assign(delivery.event_id);
  held_.delivery.destination.assign(delivery.destination);
  held_.delivery.payload.assign(delivery.payload);
  held_.sequence = tail_sequence_ + 1;
  held_.previous_id.assign(tail_id_);
  holding_.store(true, std::memory_order_release);
  tail_sequence_ += 1;
  tail_id_.assign(delivery.event_id);
  linked_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

void NatsSink::send_held(bool ask_ack) {
  const Held& held = held_;  // stays as it is until the next link() overwrites it
  const Delivery& d = held.delivery;
  const std::uint64_t reply_id = ask_ack ? next_reply_id_++ : 0;
  if (ask_ack) {
    reply_subject_.assign(inbox_);
    reply_subject_ += std::to_string(reply_id);
  }
  natsMsg* raw = nullptr;
  natsStatus status =
      natsMsg_Create(&raw, d.destination.c_str(), ask_ack ? reply_subject_.c_str() : nullptr,
                     d.payload.data(), static_cast<int>(d.payload.size()));
  nats::MsgPtr msg(raw);
  if (status == NATS_OK) status = natsMsgHeader_Set(msg.get(), kMsgIdHeader, d.event_id.c_str());
  if (status == NATS_OK) {
    status = natsMsgHeader_Set(msg.get(), kExpectedLastSequenceHeader,
                               std::to_string(held.sequence - 1).c_str());
  }
  if (status == NATS_OK) {
    status = natsMsgHeader_Set(msg.get(), kExpectedLastMsgIdHeader, held.previous_id.c_str());
  }
  const bool linked =
      status == NATS_OK && state_->link(reply_id, d.token, d.destination, held.sequence);
  holding_.store(false, std::memory_order_release);
  if (status != NATS_OK) {
    // Not sent, so the links after it would wait for it forever: the chain ends here.
    state_->begin();
    fail_now(d.token, status, d.destination);
    state_->break_chain(fmt::format("'{}' could not be sent", d.destination));
    return;
  }
  if (!linked) {  // the chain broke while this one was held
    retry_unsent(d);
    return;
  }
  status = natsConnection_PublishMsg(connection_.get(), msg.get());
  if (status != NATS_OK) {
    state_->break_chain(
        fmt::format("publishing to '{}' failed: {}", d.destination, nats::status_text(status)));
  }
  links_since_ack_ = ask_ack ? 0 : links_since_ack_ + 1;
  spent_.add(std::move(msg));
}

void NatsSink::stop_chaining(bool broken) {
  if (holding()) {
    if (broken) {
      retry_unsent(held_.delivery);
      holding_.store(false, std::memory_order_release);
    } else {
      send_held(/*ask_ack=*/true);
    }
  }
  chaining_ = false;
  state_->end_chain();
  if (broken) {
    chain_resumes_at_ = std::chrono::steady_clock::now() + settings_.chain_pause;
    spdlog::info("{}: the chain of publishes broke; each message asks for its own ack for {:g} s",
                 state_->label(), std::chrono::duration<double>(settings_.chain_pause).count());
  }
}

void NatsSink::retry_unsent(const Delivery& delivery) {
  state_->begin();
  state_->finish(Completion{delivery.token, Outcome::Retry,
                            "a chained publish was not sent: the chain broke before it",
                            std::nullopt});
}

void NatsSink::publish_jetstream(const nats::MsgPtr& msg, std::uint64_t reply_id,
                                 const Delivery& delivery) {
  // Tracked first: the ack may be read on another thread before the publish returns.
  state_->track(reply_id, delivery.token, delivery.destination);
  const natsStatus status = natsConnection_PublishMsg(connection_.get(), msg.get());
  if (status == NATS_OK) return;
  // Not sent (e.g. the reconnect buffer is full): no ack will come.
  if (const auto token = state_->untrack(reply_id)) fail_now(*token, status, delivery.destination);
}

void NatsSink::publish_core(const nats::MsgPtr& msg, const Delivery& delivery) {
  state_->begin();
  const natsStatus status = natsConnection_PublishMsg(connection_.get(), msg.get());
  if (status == NATS_OK) {
    flusher_->published(delivery.token);
  } else {
    fail_now(delivery.token, status, delivery.destination);
  }
}

void NatsSink::fail_now(std::uint64_t token, natsStatus status, const std::string& subject) {
  const std::string text = nats::status_text(status);
  const nats::PublishFailure cause{status, 0, text};
  state_->finish(Completion{token, nats::classify_publish_failure(cause),
                            nats::describe_publish_failure(cause, subject, settings_.ack_timeout),
                            std::nullopt});
}

std::size_t NatsSink::in_flight() const {
  return state_->in_flight() + (holding_.load(std::memory_order_acquire) ? 1 : 0);
}

bool NatsSink::healthy() const {
  return !closed_ && state_->connected();
}

std::string NatsSink::describe() const {
  if (!settings_.jetstream) return fmt::format("{} (core NATS)", label_of(settings_));
  return fmt::format("{} (JetStream stream {})", label_of(settings_), settings_.stream);
}

void NatsSink::close(std::chrono::milliseconds grace) {
  if (closed_.exchange(true)) return;
  const auto deadline = std::chrono::steady_clock::now() + grace;
  if (chaining_) stop_chaining(/*broken=*/!state_->chained());
  if (flusher_) {
    flusher_->stop(grace);  // completes what it holds
  } else if (acks_) {
    while (state_->in_flight() > 0) {
      const auto left =
          std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !drain_acks(std::min(left, std::chrono::milliseconds(10)), spent_)) {
        break;
      }
    }
  }
  state_->close("the NATS sink closed before the server confirmed the delivery");
  if (acks_) natsSubscription_Unsubscribe(acks_.get());  // wakes the ack reader
  if (ack_reader_.joinable()) {
    ack_reader_.request_stop();
    ack_reader_.join();
  }
  acks_.reset();
  spent_.release();
  flusher_.reset();
  js_.reset();
  connection_.reset();  // closes; its callbacks see a closed state from here on
  nats::unregister_state(state_id_);
}

}  // namespace herald::sink
