#include "sink/webhook_sink.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "sink/webhook_signature.hpp"
#include "sink/webhook_target.hpp"
#include "sink/webhook_worker.hpp"

#ifndef HERALD_VERSION
#define HERALD_VERSION "0.1.0"
#endif

namespace herald::sink {

namespace {

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// RFC 9110 token characters: what a header name may consist of.
bool is_token(std::string_view name) {
  static constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           kExtra.find(c) != std::string_view::npos;
  });
}

// The header lines every request carries, configured ones included. Values are never
// quoted in errors: an Authorization header is as secret as the URL.
Result<std::vector<std::string>> fixed_headers(const std::map<std::string, std::string>& headers) {
  std::vector<std::string> lines;
  bool content_type_given = false;
  for (const auto& [name, value] : headers) {
    const std::string lower = lowercase(name);
    if (!is_token(name))
      return make_error(
          fmt::format("webhook header name \"{}\" is not a valid HTTP header name", name));
    if (lower == "webhook-id" || lower == "webhook-timestamp" || lower == "webhook-signature") {
      return make_error(fmt::format(
          "webhook header \"{}\" is set by herald (Standard Webhooks) and cannot be configured",
          name));
    }
    if (value.find_first_of("\r\n") != std::string::npos) {
      return make_error(fmt::format("webhook header \"{}\" has a line break in its value", name));
    }
    content_type_given = content_type_given || lower == "content-type";
    // "Name;" is libcurl's spelling of a header sent with an empty value.
    lines.push_back(value.empty() ? name + ";" : name + ": " + value);
  }
  if (!content_type_given) lines.emplace_back("Content-Type: application/json");
  // libcurl would ask large bodies to wait for "100 Continue": a round trip for nothing.
  lines.emplace_back("Expect:");
  return lines;
}

}  // namespace

std::string WebhookSinkSettings::default_user_agent() {
  return "herald/" HERALD_VERSION;
}

Result<std::unique_ptr<WebhookSink>> WebhookSink::create(WebhookSinkSettings settings,
                                                         CompletionQueue& completions) {
  auto target = webhook::parse_target(settings.url);
  if (!target) return target.error();
  const std::string label = "webhook " + target->origin;
  const auto fail = [&](const std::string& message) {
    return make_error(fmt::format("{}: {}", label, message));
  };
  if (settings.timeout.count() <= 0) return fail("timeout_ms must be positive");
  if (settings.max_in_flight == 0) return fail("max_in_flight must be at least 1");
  if (settings.unhealthy_after < 1) return fail("unhealthy_after must be at least 1");
  auto headers = fixed_headers(settings.headers);
  if (!headers) return fail(headers.error().message);

  webhook::WorkerSettings worker_settings;
  if (settings.secret) {
    auto key = webhook::decode_secret(*settings.secret);
    if (!key) return fail(key.error().message);
    auto signer = webhook::Signer::create(*key);
    if (!signer) return fail(signer.error().message);
    worker_settings.signer.emplace(std::move(signer).value());
  }
  worker_settings.shape.target = std::move(target).value();
  worker_settings.shape.user_agent = settings.user_agent;
  worker_settings.shape.timeout = settings.timeout;
  worker_settings.shape.fixed_headers = std::move(headers).value();
  worker_settings.max_in_flight = settings.max_in_flight;
  worker_settings.unhealthy_after = settings.unhealthy_after;
  worker_settings.clock =
      settings.clock ? settings.clock : [] { return std::chrono::system_clock::now(); };
  // A handle must be creatable with these options before anything is accepted.
  if (auto probe = webhook::Request::create(worker_settings.shape); !probe) {
    return fail(probe.error().message);
  }
  auto worker = webhook::Worker::start(std::move(worker_settings), completions);
  if (!worker) return fail(worker.error().message);
  return std::make_unique<WebhookSink>(PrivateTag{}, std::move(worker).value(), label);
}

WebhookSink::WebhookSink(PrivateTag /*tag*/, std::unique_ptr<webhook::Worker> worker,
                         std::string label)
    : worker_(std::move(worker)), label_(std::move(label)) {}

WebhookSink::~WebhookSink() {
  close(std::chrono::milliseconds(0));
}

bool WebhookSink::submit(const Delivery& delivery) {
  if (closed_) return false;
  return worker_->submit(delivery);
}

std::size_t WebhookSink::in_flight() const {
  return worker_->in_flight();
}

bool WebhookSink::healthy() const {
  return worker_->healthy();
}

bool WebhookSink::disabled() const {
  return worker_->disabled();
}

std::string WebhookSink::describe() const {
  return label_;
}

void WebhookSink::close(std::chrono::milliseconds grace) {
  if (closed_) return;
  closed_ = true;
  worker_->stop(grace);
}

}  // namespace herald::sink
