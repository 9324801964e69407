#include "cli/describe.hpp"

#include <fmt/format.h>

#include <regex>

namespace herald::cli {
namespace {

using config::Action;
using config::ActionType;
using config::Backend;
using config::Backoff;
using config::Observers;
using config::Operation;
using config::RetryPolicy;
using config::Rule;

const char* operation_word(Operation op) {
  switch (op) {
    case Operation::Insert:
      return "INSERT";
    case Operation::Update:
      return "UPDATE";
    case Operation::Delete:
      return "DELETE";
  }
  return "?";
}

const char* backend_word(Backend b) {
  switch (b) {
    case Backend::Nats:
      return "nats";
    case Backend::Redis:
      return "redis";
    case Backend::Webhook:
      return "webhook";
  }
  return "?";
}

std::string duration(std::int64_t ms) {
  if (ms % 3600000 == 0 && ms >= 3600000) return fmt::format("{} h", ms / 3600000);
  if (ms % 60000 == 0 && ms >= 60000) return fmt::format("{} min", ms / 60000);
  if (ms % 1000 == 0 && ms >= 1000) return fmt::format("{} s", ms / 1000);
  return fmt::format("{} ms", ms);
}

std::string describe_retry(const RetryPolicy& r) {
  if (r.max_attempts == 1) return "1 attempt, no retries";
  switch (r.backoff) {
    case Backoff::Fixed:
      return fmt::format("{} attempts, every {} (±20% jitter)", r.max_attempts,
                         duration(r.initial_delay_ms));
    case Backoff::Linear:
      return fmt::format("{} attempts, linear backoff from {} up to {} (±20% jitter)",
                         r.max_attempts, duration(r.initial_delay_ms), duration(r.max_delay_ms));
    case Backoff::Exponential:
      return fmt::format("{} attempts, exponential backoff from {} up to {} (±20% jitter)",
                         r.max_attempts, duration(r.initial_delay_ms), duration(r.max_delay_ms));
  }
  return "";
}

std::string entity_of(const std::string& table) {
  return table.rfind("tb_", 0) == 0 ? table.substr(3) : table;
}

// The subjects a rule publishes to when it names none: one per operation.
std::string subjects_of(const Rule& rule, const std::optional<std::string>& override_subject,
                        const Observers& obs) {
  if (override_subject) return *override_subject;
  if (rule.subject) return *rule.subject;
  std::string out;
  for (Operation op : rule.events) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{}.{}.{}", obs.subject_prefix, entity_of(rule.table), operation_name(op));
  }
  return out;
}

std::string describe_target(const Action& a, const Rule& rule, const Observers& obs) {
  switch (a.type) {
    case ActionType::Webhook: {
      std::string where = !a.url                    ? "(no url)"
                          : a.url->from_env.empty() ? a.url->value
                                                    : fmt::format("${}", a.url->from_env);
      std::string extras = fmt::format("timeout {}", duration(a.timeout_ms));
      if (a.secret) extras += fmt::format(", signed with ${}", a.secret->from_env);
      if (!a.headers.empty()) extras += fmt::format(", {} header(s)", a.headers.size());
      return fmt::format("webhook POST {} ({})", where, extras);
    }
    case ActionType::Nats:
      return fmt::format("nats {}", subjects_of(rule, a.subject, obs));
    case ActionType::Redis:
      return fmt::format("redis {} {}",
                         obs.redis_mode == config::RedisMode::Stream ? "XADD" : "PUBLISH",
                         subjects_of(rule, a.subject, obs));
  }
  return "";
}

std::string backend_target(const Rule& rule, const Observers& obs) {
  switch (obs.backend) {
    case Backend::Nats:
      return fmt::format("nats {}", subjects_of(rule, std::nullopt, obs));
    case Backend::Redis:
      return fmt::format("redis {} {}",
                         obs.redis_mode == config::RedisMode::Stream ? "XADD" : "PUBLISH",
                         subjects_of(rule, std::nullopt, obs));
    case Backend::Webhook:
      return "webhook (no url)";
  }
  return "";
}

void describe_rule(std::string& out, const Rule& rule, const Observers& obs) {
  std::string events;
  for (Operation op : rule.events) {
    if (!events.empty()) events += " | ";
    events += operation_word(op);
  }
  out += fmt::format("  {}\n", rule.name);
  out += fmt::format("    on        {}.{} {}\n", rule.schema, rule.table, events);
  if (rule.condition) out += fmt::format("    when      {}\n", *rule.condition);
  if (!rule.changed.empty()) {
    std::string cols;
    for (const auto& c : rule.changed) cols += (cols.empty() ? "" : ", ") + c;
    out += fmt::format("    changed   {}\n", cols);
  }
  if (rule.actions.empty()) {
    out += fmt::format("    deliver   {}\n", backend_target(rule, obs));
    out += fmt::format("    retry     {}\n", describe_retry(obs.retry));
    return;
  }
  for (const Action& a : rule.actions) {
    out += fmt::format("    deliver   {}\n", describe_target(a, rule, obs));
    out += fmt::format("    retry     {}\n", describe_retry(a.retry));
  }
}

}  // namespace

std::string redact_password(const std::string& conninfo) {
  // URI form: scheme://user:password@host...
  static const std::regex uri(R"(^([a-z]+://[^:/@]*):[^@]*@)");
  // Key/value form: password=secret or password='secret with spaces'
  static const std::regex kv(R"(password\s*=\s*('([^'\\]|\\.)*'|\S+))");
  std::string out = std::regex_replace(conninfo, uri, "$1:***@");
  return std::regex_replace(out, kv, "password=***");
}

std::string describe(const config::Config& c) {
  std::string out;
  const Observers& obs = c.observers;

  if (c.database.url) {
    out += fmt::format("database    {}{}\n", redact_password(c.database.url->value),
                       c.database.url->from_env.empty()
                           ? ""
                           : fmt::format(" (from ${})", c.database.url->from_env));
  } else {
    out += "database    not configured: set [database] url or DATABASE_URL\n";
  }

  if (c.server) {
    out += fmt::format(
        "server      GraphQL on http://{}:{}/graphql, schema {}, up to {} connections, {} "
        "workers{}\n",
        c.server->host, c.server->port, c.server->schema_path, c.server->max_connections,
        c.server->workers, c.auth ? ", JWT (HS256) required" : "");
  } else {
    out += "server      none (no [server] table)\n";
  }

  out += fmt::format("backend     {}", backend_word(obs.backend));
  if (obs.nats_url) out += fmt::format(", NATS {}", *obs.nats_url);
  if (obs.redis_url) out += fmt::format(", Redis {}", *obs.redis_url);
  out += "\n";
  out += fmt::format("nats        {}\n", obs.jetstream
                                             ? fmt::format("JetStream, stream {}", obs.stream)
                                             : std::string("core NATS (no acks)"));
  out += fmt::format(
      "events      format {}, default subject {}.<entity>.<created|updated|deleted>\n",
      obs.format == config::Format::Fraiseql ? "fraiseql" : "cloudevents", obs.subject_prefix);
  out += fmt::format("capture     slot {}, publication {}, batch window {} ms\n", obs.slot,
                     obs.publication, obs.batch_window_ms);
  out += fmt::format("retry       {}\n", describe_retry(obs.retry));
  out += fmt::format(
      "dlq         herald.dead_letters{}\n",
      obs.dlq_subject.empty() ? "" : fmt::format(", also published to {}", obs.dlq_subject));

  out += fmt::format("\nrules ({})\n", obs.rules.size());
  for (const Rule& rule : obs.rules) describe_rule(out, rule, obs);

  if (!obs.publish.empty()) {
    out += fmt::format("\nmutation events ({})\n", obs.publish.size());
    for (const auto& p : obs.publish) out += fmt::format("  {} -> {}\n", p.mutation, p.subject);
  }
  if (!obs.subscribe.empty()) {
    out += fmt::format(
        "\nsubscriptions ({}): not served by this herald yet, herald run "
        "refuses them\n",
        obs.subscribe.size());
    for (const auto& s : obs.subscribe) {
      out += fmt::format("  {} -> {}(jsonb), durable consumer {}, at most {} deliveries\n",
                         s.subject, s.handler, s.durable, s.max_deliver);
    }
  }
  return out;
}

}  // namespace herald::cli
