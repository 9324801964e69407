// [observers]: the backend settings, retry and dlq defaults, and the three lists.
#include "config/observers_reader.hpp"

#include <array>
#include <climits>
#include <map>

#include <fmt/format.h>

#include "config/names.hpp"

namespace herald::config {
namespace {

constexpr std::array<std::string_view, 17> kObserversKeys = {
    "backend",    "nats_url",     "redis_url", "subject_prefix", "jetstream",   "stream",
    "redis_mode", "redis_maxlen", "format",    "slot",           "publication", "batch_window_ms",
    "retry",      "dlq",          "rules",     "publish",        "subscribe"};
// A pause of a second would hold every event that long; nobody wants more.
constexpr std::int64_t kMaxBatchWindowMs = 1000;
constexpr std::array<std::string_view, 1> kDlqKeys = {"subject"};
constexpr std::array<std::string_view, 2> kPublishKeys = {"mutation", "subject"};
constexpr std::array<std::string_view, 4> kSubscribeKeys = {"subject", "handler", "durable",
                                                            "max_deliver"};
constexpr std::array<Choice<Backend>, 3> kBackends = {
    {{"nats", Backend::Nats}, {"redis", Backend::Redis}, {"webhook", Backend::Webhook}}};
constexpr std::array<Choice<RedisMode>, 2> kRedisModes = {
    {{"stream", RedisMode::Stream}, {"pubsub", RedisMode::PubSub}}};
constexpr std::array<Choice<Format>, 2> kFormats = {
    {{"fraiseql", Format::Fraiseql}, {"cloudevents", Format::CloudEvents}}};

// A string that must pass `problem`; reported as `invalid <kind> "<value>": <why>`.
template <typename Check>
void read_name(const TableReader& reader, std::string_view key, std::string_view kind,
               Check problem, std::string& target) {
  const auto value = reader.string(key);
  if (!value) return;
  if (const auto why = problem(*value)) {
    reader.error_at_value(key, fmt::format("invalid {} \"{}\": {}", kind, *value, *why));
    return;
  }
  target = *value;
}

// An optional URL; empty after interpolation (`${NATS_URL:-}`) counts as not set.
// `usable` says whether deliveries may count on it (or it was already reported).
std::optional<std::string> read_url(const TableReader& reader, std::string_view key, bool& usable) {
  auto url = reader.string(key);
  usable = url ? !url->empty() : reader.has(key);
  if (url && url->empty()) url.reset();
  return url;
}

void read_backend_settings(const TableReader& reader, Observers& observers,
                           DeliveryTargets& targets) {
  const auto backend = reader.choice<Backend>("backend", kBackends);
  if (backend) observers.backend = *backend;
  targets.backend_known = backend.has_value() || !reader.has("backend");
  observers.nats_url = read_url(reader, "nats_url", targets.nats);
  observers.redis_url = read_url(reader, "redis_url", targets.redis);
  if (const auto prefix = reader.string("subject_prefix")) {
    if (check_subject(reader, "subject_prefix", *prefix, false)) observers.subject_prefix = *prefix;
  }
  if (const auto jetstream = reader.boolean("jetstream")) observers.jetstream = *jetstream;
  read_name(reader, "stream", "stream name", stream_problem, observers.stream);
  if (const auto mode = reader.choice<RedisMode>("redis_mode", kRedisModes)) {
    observers.redis_mode = *mode;
  }
  if (const auto maxlen = reader.integer("redis_maxlen", 1)) observers.redis_maxlen = *maxlen;
  if (const auto format = reader.choice<Format>("format", kFormats)) observers.format = *format;
  read_name(reader, "slot", "replication slot name", slot_problem, observers.slot);
  read_name(reader, "publication", "publication name", publication_problem, observers.publication);
  if (const auto window = reader.integer("batch_window_ms", 0, kMaxBatchWindowMs)) {
    observers.batch_window_ms = *window;
  }
}

void read_dlq(LoadContext& context, const toml::table& table, Observers& observers,
              const DeliveryTargets& targets) {
  const TableReader reader(context, table, "[observers.dlq]", kDlqKeys);
  const auto subject = reader.string("subject");
  if (!subject || subject->empty()) return;
  if (!check_subject(reader, "subject", *subject, false)) return;
  observers.dlq_subject = *subject;
  const bool has_target = observers.backend == Backend::Nats    ? targets.nats
                          : observers.backend == Backend::Redis ? targets.redis
                                                                : targets.nats || targets.redis;
  if (!has_target && targets.backend_known) {
    const std::string_view needed = observers.backend == Backend::Nats ? "'nats_url'"
                                    : observers.backend == Backend::Redis
                                        ? "'redis_url'"
                                        : "'nats_url' or 'redis_url'";
    reader.error_at_value("subject", fmt::format("dead letters are published to 'subject', but "
                                                 "[observers] has no {}",
                                                 needed));
  }
}

Publish read_publish(LoadContext& context, const toml::table& table, const Observers& observers) {
  const TableReader reader(context, table, "[[observers.publish]] entry", kPublishKeys);
  Publish publish;
  publish.pos = reader.pos();
  const auto mutation = reader.string("mutation");
  if (!reader.has("mutation")) {
    context.diagnostics.error(publish.pos, "[[observers.publish]] entry has no 'mutation'");
  } else if (mutation && mutation->empty()) {
    reader.error_at_value("mutation", "'mutation' must not be empty");
  } else if (mutation) {
    publish.mutation = *mutation;
  }
  if (const auto subject = reader.string("subject")) {
    if (check_subject(reader, "subject", *subject, false)) publish.subject = *subject;
  } else if (!publish.mutation.empty()) {
    publish.subject = observers.subject_prefix + "." + publish.mutation;
    if (!reader.has("subject")) check_subject(reader, "mutation", publish.subject, false);
  }
  return publish;
}

Subscribe read_subscribe(LoadContext& context, const toml::table& table) {
  const TableReader reader(context, table, "[[observers.subscribe]] entry", kSubscribeKeys);
  Subscribe subscribe;
  subscribe.pos = reader.pos();
  for (const std::string_view key : {"subject", "handler"}) {
    if (!reader.has(key)) {
      context.diagnostics.error(subscribe.pos,
                                fmt::format("[[observers.subscribe]] entry has no '{}'", key));
    }
  }
  if (const auto subject = reader.string("subject")) {
    if (check_subject(reader, "subject", *subject, true)) subscribe.subject = *subject;
  }
  if (const auto handler = reader.string("handler")) {
    if (handler->empty()) {
      reader.error_at_value("handler", "'handler' must name an SQL function");
    } else {
      subscribe.handler = *handler;
      subscribe.durable = durable_from_handler(*handler);
    }
  }
  read_name(reader, "durable", "durable name", durable_problem, subscribe.durable);
  if (const auto max_deliver = reader.integer("max_deliver", 1, INT_MAX)) {
    subscribe.max_deliver = static_cast<int>(*max_deliver);
  }
  return subscribe;
}

// Two rules with one name would share retries, dead letters and metrics.
void check_rule_names(Diagnostics& diagnostics, const std::vector<Rule>& rules,
                      const std::vector<SourcePos>& name_positions) {
  std::map<std::string, int> first_line;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const Rule& rule = rules[i];
    if (rule.name.empty()) continue;
    const auto [found, inserted] = first_line.emplace(rule.name, rule.pos.line);
    if (inserted) continue;
    std::string message = fmt::format(
        "duplicate rule name \"{}\" (first used by the rule at line {})", rule.name, found->second);
    if (!rule.name_given) {
      message += "; two rules for the same table and event need distinct 'name's";
    }
    diagnostics.error(name_positions[i], std::move(message));
  }
}

}  // namespace

bool check_subject(const TableReader& reader, std::string_view key, const std::string& subject,
                   bool allow_wildcards) {
  const auto why =
      subject_problem(subject, allow_wildcards ? SubjectUse::Subscribe : SubjectUse::Publish);
  if (why)
    reader.error_at_value(key, fmt::format("invalid NATS subject \"{}\": {}", subject, *why));
  return !why;
}

void read_observers(LoadContext& context, const toml::table& table, Observers& observers) {
  const TableReader reader(context, table, "[observers]", kObserversKeys);
  DeliveryTargets targets;
  read_backend_settings(reader, observers, targets);
  if (const toml::table* retry = reader.table("retry")) {
    observers.retry =
        read_retry(TableReader(context, *retry, "[observers.retry]", kRetryKeys), observers.retry);
  }
  if (const toml::table* dlq = reader.table("dlq")) read_dlq(context, *dlq, observers, targets);
  std::vector<SourcePos> name_positions;
  for (const toml::table* rule_table : reader.tables("rules")) {
    observers.rules.push_back(read_rule(context, *rule_table, observers.retry));
    const toml::node* name = rule_table->get("name");
    name_positions.push_back(name != nullptr ? context.diagnostics.at(*name)
                                             : observers.rules.back().pos);
  }
  check_rule_names(context.diagnostics, observers.rules, name_positions);
  for (const toml::table* publish_table : reader.tables("publish")) {
    observers.publish.push_back(read_publish(context, *publish_table, observers));
  }
  for (const toml::table* subscribe_table : reader.tables("subscribe")) {
    observers.subscribe.push_back(read_subscribe(context, *subscribe_table));
  }
  check_delivery_targets(context.diagnostics, observers, targets);
}

}  // namespace herald::config
