#include "sink/webhook_worker.hpp"

#include <pthread.h>

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace herald::sink::webhook {

namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// How long the thread sleeps in curl_multi_poll when nothing happens: libcurl's own
// timers (timeouts) and curl_multi_wakeup cut it short, so this only bounds idle wakeups.
constexpr int kIdlePollMs = 1000;

}  // namespace

Result<std::unique_ptr<Worker>> Worker::start(WorkerSettings settings, CompletionQueue& queue) {
  ensure_curl_initialized();
  MultiPtr multi(curl_multi_init());
  if (!multi) return make_error("libcurl could not create a multi handle (out of memory?)");
  // Keep one idle connection per possible request, so a busy action never reconnects.
  curl_multi_setopt(multi.get(), CURLMOPT_MAXCONNECTS, static_cast<long>(settings.max_in_flight));
  auto worker = std::make_unique<Worker>(std::move(settings), queue, std::move(multi));
  Worker* self = worker.get();
  worker->thread_ = std::thread([self] { self->run(); });
  // Named so top, perf and gdb show which thread is the webhook sink's.
  pthread_setname_np(worker->thread_.native_handle(), "herald-webhook");
  return worker;
}

Worker::Worker(WorkerSettings settings, CompletionQueue& queue, MultiPtr multi)
    : settings_(std::move(settings)), queue_(queue), multi_(std::move(multi)) {
  settings_.shape.signer = settings_.signer ? &*settings_.signer : nullptr;
}

Worker::~Worker() {
  stop(milliseconds(0));
}

bool Worker::submit(const Delivery& delivery) {
  if (disabled_.load()) {
    queue_.push(Completion{delivery.token, Outcome::Disabled, disabled_error(), std::nullopt});
    return true;
  }
  if (in_flight_.load() >= settings_.max_in_flight) return false;
  in_flight_.fetch_add(1);
  bool first = false;
  {
    const std::lock_guard lock(mutex_);
    first = pending_.empty();
    pending_.push_back(delivery);
  }
  // The worker takes the whole queue at once: only the first delivery of a batch needs to
  // wake it (a write to libcurl's wakeup pipe per delivery would cost a syscall each).
  if (first) curl_multi_wakeup(multi_.get());
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
    curl_multi_wakeup(multi_.get());
    thread_.join();
  }
}

void Worker::run() {
  std::vector<Delivery> batch;
  bool stopping = false;
  steady_clock::time_point deadline;
  while (true) {
    {
      const std::lock_guard lock(mutex_);
      batch.swap(pending_);
      stopping = stop_requested_;
      deadline = stop_deadline_;
    }
    for (auto& delivery : batch) start_request(std::move(delivery));
    batch.clear();
    int running = 0;
    curl_multi_perform(multi_.get(), &running);
    collect_finished();
    int wait_ms = kIdlePollMs;
    if (stopping) {
      const auto left = std::chrono::ceil<milliseconds>(deadline - steady_clock::now());
      if (active_.empty() || left.count() <= 0) break;
      wait_ms = static_cast<int>(std::min<milliseconds::rep>(left.count(), kIdlePollMs));
    }
    curl_multi_poll(multi_.get(), nullptr, 0, wait_ms, nullptr);
  }
  abandon_all();
}

void Worker::start_request(Delivery&& delivery) {
  const std::uint64_t token = delivery.token;
  if (disabled_.load()) {
    finish(token, Outcome::Disabled, disabled_error());
    return;
  }
  std::unique_ptr<Request> request;
  if (idle_.empty()) {
    auto created = Request::create(settings_.shape);
    if (!created) {
      finish(token, Outcome::Retry, created.error().message);
      return;
    }
    request = std::move(created).value();
  } else {
    request = std::move(idle_.back());
    idle_.pop_back();
  }
  const auto now = settings_.clock();
  const auto timestamp =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (auto prepared = request->prepare(settings_.shape, std::move(delivery), timestamp);
      !prepared) {
    finish(token, Outcome::Permanent, prepared.error().message);
    idle_.push_back(std::move(request));
    return;
  }
  if (const CURLMcode code = curl_multi_add_handle(multi_.get(), request->handle());
      code != CURLM_OK) {
    finish(token, Outcome::Retry,
           fmt::format("libcurl could not start the request: {}", curl_multi_strerror(code)));
    idle_.push_back(std::move(request));
    return;
  }
  CURL* handle = request->handle();
  active_.emplace(handle, std::move(request));
}

void Worker::collect_finished() {
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_.get(), &left)) {
    if (message->msg != CURLMSG_DONE) continue;
    // The message dies with remove_handle: copy what it says first.
    CURL* handle = message->easy_handle;
    const CURLcode result = message->data.result;
    curl_multi_remove_handle(multi_.get(), handle);
    auto node = active_.extract(handle);
    if (node.empty()) continue;  // not ours; cannot happen
    std::unique_ptr<Request>& request = node.mapped();
    const Reply reply = request->take_reply(result, settings_.shape.target);
    Verdict verdict = classify(reply, settings_.clock(), settings_.shape.timeout);
    note_answer(!verdict.no_response);
    if (verdict.outcome == Outcome::Disabled) disable();
    finish(request->token(), verdict.outcome, std::move(verdict.error), verdict.retry_after);
    idle_.push_back(std::move(request));
  }
}

void Worker::abandon_all() {
  for (auto& [handle, request] : active_) {
    curl_multi_remove_handle(multi_.get(), handle);
    finish(request->token(), Outcome::Retry, "the webhook sink closed before the target answered");
  }
  active_.clear();
  std::vector<Delivery> rest;
  {
    const std::lock_guard lock(mutex_);
    rest.swap(pending_);
  }
  for (const auto& delivery : rest) {
    finish(delivery.token, Outcome::Retry, "the webhook sink closed before sending");
  }
}

void Worker::note_answer(bool answered) {
  const auto& origin = settings_.shape.target.origin;
  if (answered) {
    if (no_answer_streak_.exchange(0) >= settings_.unhealthy_after) {
      spdlog::info("webhook {} answers again", origin);
    }
    return;
  }
  if (no_answer_streak_.fetch_add(1) + 1 == settings_.unhealthy_after) {
    spdlog::warn("webhook {}: the last {} requests got no answer; reporting unhealthy", origin,
                 settings_.unhealthy_after);
  }
}

void Worker::disable() {
  if (!disabled_.exchange(true)) {
    spdlog::error("webhook {} answered 410 Gone: action disabled until restart",
                  settings_.shape.target.origin);
  }
}

void Worker::finish(std::uint64_t token, Outcome outcome, std::string error,
                    std::optional<milliseconds> retry_after) {
  // Free the window slot before the completion is visible: a dispatcher that reacts to the
  // completion by submitting again must find room.
  in_flight_.fetch_sub(1);
  queue_.push(Completion{token, outcome, std::move(error), retry_after});
}

std::string Worker::disabled_error() const {
  return fmt::format("webhook {} answered 410 Gone earlier: action disabled until restart",
                     settings_.shape.target.origin);
}

}  // namespace herald::sink::webhook
