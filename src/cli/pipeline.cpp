#include "cli/pipeline.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>

#include <optional>
#include <thread>

#include "capture/pgoutput_decoder.hpp"
#include "cli/catalog_type_lookup.hpp"
#include "pg/backoff.hpp"
#include "pg/replication_stream.hpp"

namespace herald::cli {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Feeds decoded changes to the rules and the dispatcher, one transaction at a time.
class CaptureVisitor final : public capture::ChangeVisitor {
 public:
  CaptureVisitor(const event::RuleSet& rules, dispatch::Dispatcher& dispatcher,
                 dispatch::SettleTracker& tracker, PipelineProgress& progress)
      : rules_(rules), dispatcher_(dispatcher), tracker_(tracker), progress_(progress) {}

  void on_begin(const capture::Begin&) override {
    txn_ = tracker_.open();
    in_transaction_ = true;
  }

  void on_change(capture::Change& change) override {
    rules_.match(change, [&](const event::CompiledRule& rule, event::Event&& e) {
      dispatcher_.deliver_rule_event(txn_, rule.index, e);
      progress_.events.fetch_add(1, std::memory_order_relaxed);
    });
  }

  void on_truncate(const capture::Truncate& t) override {
    for (const auto& r : t.relations) {
      spdlog::warn("TRUNCATE of {} is not an event; rules see row changes only",
                   r->qualified_name());
    }
  }

  void on_message(const capture::LogicalMessage& m) override {
    if (m.prefix != "herald") return;
    bool ok = rules_.match_message(m, [&](const event::CompiledPublish& p, event::Event&& e) {
      dispatcher_.deliver_publish_event(txn_, p.index, e);
      progress_.events.fetch_add(1, std::memory_order_relaxed);
    });
    if (!ok) spdlog::warn("ignored a malformed herald message at {}", capture::format_lsn(m.lsn));
  }

  void on_commit(const capture::Commit& c) override {
    tracker_.close(txn_, c.end_lsn);
    in_transaction_ = false;
  }

  // Between a Begin and its Commit.
  bool in_transaction() const { return in_transaction_; }

 private:
  const event::RuleSet& rules_;
  dispatch::Dispatcher& dispatcher_;
  dispatch::SettleTracker& tracker_;
  PipelineProgress& progress_;
  dispatch::SettleTracker::TxnSeq txn_ = 0;
  bool in_transaction_ = false;
};

void wait_readable(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  ::poll(&p, 1, static_cast<int>(timeout.count()));
}

}  // namespace

Pipeline::Pipeline(PipelineSettings settings, const event::RuleSet& rules,
                   dispatch::Dispatcher& dispatcher, sink::CompletionQueue& completions,
                   std::vector<sink::Sink*> brokers)
    : settings_(std::move(settings)),
      type_lookup_(settings_.conninfo),
      rules_(rules),
      dispatcher_(dispatcher),
      completions_(completions),
      brokers_(std::move(brokers)) {}

void Pipeline::collect_completions(bool now) {
  // The brokers' acks are read here rather than by threads of their own (see
  // sink::Sink::poll). At most once a millisecond unless asked: the capture loop comes by
  // once per message read, and an ack read a little later delays nothing but a slot
  // confirmation.
  const auto at = Clock::now();
  if (now || at - last_broker_poll_ >= 1ms) {
    last_broker_poll_ = at;
    for (auto* b : brokers_) b->poll();
  }
  dispatcher_.process_completions();
}

std::chrono::milliseconds Pipeline::completion_wait(std::chrono::milliseconds longest) const {
  // Nothing wakes the loop when a broker's ack arrives, so while one is awaited it looks
  // again soon; webhook and Redis completions wake it through the completion queue.
  for (auto* b : brokers_) {
    if (b->in_flight() > 0) return std::min(longest, 1ms);
  }
  return longest;
}

void Pipeline::wait_for_brokers(const std::atomic<bool>& stop) {
  bool logged = false;
  while (!stop.load()) {
    bool all = true;
    for (auto* b : brokers_) {
      if (!b->healthy()) {
        b->renew();
        if (b->healthy()) continue;
        all = false;
        if (!logged)
          spdlog::warn("waiting for {} to come back; the slot holds every event", b->describe());
        logged = true;
      }
    }
    if (all) return;
    std::this_thread::sleep_for(100ms);
  }
}

Result<void> Pipeline::run(const std::atomic<bool>& stop) {
  auto backoff = pg::Backoff::system(pg::Backoff::Settings{});
  while (!stop.load()) {
    std::string why;
    SessionEnd end = session(stop, why);
    progress_.streaming = false;
    if (end == SessionEnd::Stopped) break;
    if (end == SessionEnd::Fatal) return Error{why};
    if (end == SessionEnd::Reconnect && broker_failed_) {
      // Drop what the broker connections still hold before the replay from the slot.
      for (auto* b : brokers_) b->renew();
    }
    if (session_streamed_) backoff.on_success();  // a working session starts pacing anew
    auto delay = backoff.on_failure();
    spdlog::warn("capture interrupted: {}; resuming from the slot in {} ms", why, delay.count());
    auto until = Clock::now() + delay;
    while (!stop.load() && Clock::now() < until) std::this_thread::sleep_for(20ms);
    wait_for_brokers(stop);
  }
  return {};
}

Pipeline::SessionEnd Pipeline::session(const std::atomic<bool>& stop, std::string& why) {
  session_streamed_ = false;
  broker_failed_ = false;
  auto stream = pg::ReplicationStream::connect(settings_.conninfo);
  if (!stream) {
    why = stream.error().message;
    return SessionEnd::Reconnect;
  }
  pg::StartOptions options;
  options.publication_names = {settings_.publication};
  options.messages = true;
  // 0/0: start from the slot's confirmed position.
  if (auto started = stream->start(settings_.slot, pg::Lsn(), options); !started) {
    why = started.error().message;
    const auto& e = started.error();
    bool fatal = e.has_sqlstate(pg::sqlstate::kUndefinedObject);
    return fatal ? SessionEnd::Fatal : SessionEnd::Reconnect;
  }
  progress_.streaming = true;
  session_streamed_ = true;
  spdlog::info("capturing from slot {} (publication {})", settings_.slot, settings_.publication);

  dispatch::SettleTracker tracker;
  dispatcher_.reset(tracker);
  for (auto* b : brokers_) b->rewind();  // the slot replays from its confirmed position
  capture::PgoutputDecoder decoder;
  decoder.types().set_lookup(std::ref(type_lookup_));
  CaptureVisitor visitor(rules_, dispatcher_, tracker, progress_);
  auto last_status = Clock::now();

  // The confirmed position PostgreSQL has been told. A confirmation is reported at most
  // confirm_interval after it is made, even when nothing moves afterwards (the last
  // transaction of a burst): else it would wait for the stream's periodic status (10 s) and
  // the slot would hold that WAL, and replay it after a crash, for no reason.
  pg::Lsn reported = stream->confirmed();
  auto report_progress = [&]() -> Result<void> {
    pg::Lsn confirmable(tracker.confirmable());
    if (confirmable > stream->confirmed()) {
      stream->confirm(confirmable);
      progress_.confirmed_lsn = confirmable.value();
    }
    if (stream->confirmed() > reported &&
        Clock::now() - last_status >= settings_.confirm_interval) {
      last_status = Clock::now();
      reported = stream->confirmed();
      return stream->send_status_now();
    }
    return Result<void>{};
  };

  // On SIGTERM, first read the rest of the transaction under way: pgoutput sends committed
  // transactions only, so its Commit is already on the way. Stopping before it would leave
  // events delivered during the drain unconfirmed, and the next start would publish them
  // again (a duplicate in the stream once JetStream's duplicate window has passed).
  std::optional<Clock::time_point> finish_by;
  bool read_since_pause = false;
  while (true) {
    if (stop.load()) {
      if (!visitor.in_transaction()) break;
      if (!finish_by) finish_by = Clock::now() + settings_.drain_timeout;
      if (Clock::now() >= *finish_by) break;
    }
    collect_completions(false);
    dispatcher_.refresh_parked();
    if (dispatcher_.broken()) {
      broker_failed_ = true;
      why = dispatcher_.broken_reason();
      return SessionEnd::Reconnect;
    }
    if (dispatcher_.backlogged() && !dispatcher_.flush_backlog()) {
      // A sink's window is full: stop reading WAL until deliveries complete.
      wait_readable(completions_.wake_fd(), completion_wait(50ms));
      collect_completions(true);
      if (auto r = report_progress(); !r) {
        why = r.error().message;
        return SessionEnd::Reconnect;
      }
      continue;
    }
    // Read what has arrived; when the stream runs dry right after changes, pause for the
    // batch window before waiting on the socket (see PipelineSettings::batch_window).
    auto message = stream->poll(read_since_pause ? 0ms : completion_wait(20ms));
    if (message && !message->has_value() && read_since_pause) {
      read_since_pause = false;
      collect_completions(true);  // sends what a broker holds back for the end of a batch
      if (settings_.batch_window.count() > 0) std::this_thread::sleep_for(settings_.batch_window);
      continue;
    }
    if (!message) {
      why = message.error().message;
      return SessionEnd::Reconnect;
    }
    if (message->has_value()) {
      if (const auto* data = std::get_if<pg::XLogData>(&**message)) {
        read_since_pause = true;
        if (auto r = decoder.decode(data->payload, visitor); !r) {
          why = "cannot decode the replication stream: " + r.error().message;
          return SessionEnd::Reconnect;
        }
      } else if (dispatcher_.in_flight() == 0 && !dispatcher_.backlogged()) {
        tracker.idle_position(stream->last_received().value());
      }
    }
    if (auto r = report_progress(); !r) {
      why = r.error().message;
      return SessionEnd::Reconnect;
    }
  }

  // SIGTERM: deliver what is in flight, confirm it, and end the stream cleanly.
  auto deadline = Clock::now() + settings_.drain_timeout;
  while ((dispatcher_.in_flight() > 0 || dispatcher_.backlogged()) && !dispatcher_.broken() &&
         Clock::now() < deadline) {
    dispatcher_.flush_backlog();
    wait_readable(completions_.wake_fd(), completion_wait(50ms));
    collect_completions(true);
  }
  if (dispatcher_.in_flight() > 0) {
    spdlog::warn(
        "{} deliveries still in flight at shutdown; the slot replays them at the next start",
        dispatcher_.in_flight());
  }
  stream->confirm(pg::Lsn(tracker.confirmable()));
  progress_.confirmed_lsn = tracker.confirmable();
  (void)stream->send_status_now();
  (void)stream->stop();
  return SessionEnd::Stopped;
}

}  // namespace herald::cli
