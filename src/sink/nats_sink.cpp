#include "sink/nats_sink.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <utility>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "sink/nats_core_flusher.hpp"
#include "sink/nats_publish_outcome.hpp"
#include "sink/nats_stream.hpp"
#include "sink/nats_subjects.hpp"

namespace herald::sink {

namespace {

constexpr const char* kMsgIdHeader = "Nats-Msg-Id";
constexpr int kMaxPingsOut = 2;

// --- C callbacks: exceptions must not cross into nats.c, and the sink may be gone. ---

void on_disconnected(natsConnection* /*connection*/, void* closure) noexcept {
  const auto state = nats::find_state(closure);
  if (!state || state->closed()) return;
  if (state->set_connected(false)) {
    spdlog::warn("{}: disconnected; publishes wait in the reconnect buffer", state->label());
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

void on_ack(jsCtx* /*js*/, natsMsg* msg, jsPubAck* /*ack*/, jsPubAckErr* failure,
            void* closure) noexcept {
  const nats::MsgPtr owned(msg);  // ours to destroy, whatever happens below
  const auto state = nats::find_state(closure);
  if (!state) return;
  try {
    Completion completion;
    if (failure != nullptr) {
      const nats::PublishFailure cause{failure->Err, failure->ErrCode,
                                       failure->ErrText != nullptr ? failure->ErrText : ""};
      completion.outcome = nats::classify_publish_failure(cause);
      completion.error =
          nats::describe_publish_failure(cause, natsMsg_GetSubject(msg), state->ack_timeout());
    }
    // A duplicate ack (jsPubAck::Duplicate) is a delivery too: the stream holds that id.
    state->complete(msg, std::move(completion));
  } catch (const std::exception& e) {
    spdlog::error("{}: lost a publish acknowledgement: {}", state->label(), e.what());
  }
}

std::string label_of(const NatsSinkSettings& settings) {
  return fmt::format("nats {}", nats::redact_url(settings.url));
}

}  // namespace

Result<std::unique_ptr<NatsSink>> NatsSink::connect(NatsSinkSettings settings,
                                                    CompletionQueue& completions) {
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
  set(natsOptions_SetURL(options.get(), settings_.url.c_str()));
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
  js_options.Wait = settings_.ack_timeout.count();
  // MaxPending stays 0 (unlimited): a limit there would stall submit() for StallWait.
  js_options.PublishAsync.AckHandler = &on_ack;
  js_options.PublishAsync.AckHandlerClosure = closure;
  jsCtx* raw_js = nullptr;
  status = natsConnection_JetStream(&raw_js, connection_.get(), &js_options);
  js_.reset(raw_js);
  if (status != NATS_OK) {
    return make_error(fmt::format("cannot create a JetStream context on {}: {}",
                                  label_of(settings_), nats::status_text(status)));
  }
  // Overdue acks are noticed within a quarter of the timeout (at most 250 ms late).
  const auto period = std::clamp(settings_.ack_timeout / 4, std::chrono::milliseconds(10),
                                 std::chrono::milliseconds(250));
  sweeper_ = std::jthread([state = state_, period](const std::stop_token& stop) {
    std::mutex mutex;
    std::condition_variable_any wake;
    std::unique_lock lock(mutex);
    while (true) {
      wake.wait_for(lock, stop, period, [] { return false; });
      if (stop.stop_requested()) return;
      state->expire_overdue(std::chrono::steady_clock::now());
    }
  });
  return {};
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
  if (closed_ || state_->in_flight() >= settings_.max_in_flight) return false;
  natsMsg* raw = nullptr;
  natsStatus status =
      natsMsg_Create(&raw, delivery.destination.c_str(), nullptr, delivery.payload.data(),
                     static_cast<int>(delivery.payload.size()));
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
    publish_jetstream(std::move(msg), delivery);
  } else {
    publish_core(std::move(msg), delivery);
  }
  return true;
}

void NatsSink::publish_jetstream(nats::MsgPtr msg, const Delivery& delivery) {
  const void* key = msg.get();
  // Tracked first: the ack can arrive on another thread before the call returns.
  state_->track(key, delivery.token, delivery.destination);
  jsPubOptions options;
  jsPubOptions_Init(&options);  // MaxWait stays 0: the sweeper below keeps the ack deadline
  natsMsg* handed = msg.get();
  const natsStatus status = js_PublishMsgAsync(js_.get(), &handed, &options);
  if (handed == nullptr) static_cast<void>(msg.release());  // nats.c owns it now
  if (status == NATS_OK) return;
  // nats.c gave the message back (e.g. reconnect buffer full): no ack will come.
  if (const auto token = state_->untrack(key)) fail_now(*token, status, delivery.destination);
}

void NatsSink::publish_core(nats::MsgPtr msg, const Delivery& delivery) {
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
  return state_->in_flight();
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
  if (flusher_) {
    flusher_->stop(grace);  // completes what it holds
  } else if (grace.count() > 0) {
    static_cast<void>(state_->wait_idle(std::chrono::steady_clock::now() + grace));
  }
  state_->close("the NATS sink closed before the server confirmed the delivery");
  if (sweeper_.joinable()) {
    sweeper_.request_stop();
    sweeper_.join();
  }
  flusher_.reset();
  js_.reset();
  connection_.reset();  // closes; its callbacks see a closed state from here on
  nats::unregister_state(state_id_);
}

}  // namespace herald::sink
