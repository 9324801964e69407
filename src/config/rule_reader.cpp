// [[observers]] rules and their [[observers.actions]].
#include <array>
#include <climits>

#include <fmt/format.h>

#include "config/names.hpp"
#include "config/observers_reader.hpp"

namespace herald::config {
namespace {

constexpr std::array<std::string_view, 7> kRuleKeys = {"table",   "event", "subject", "condition",
                                                       "changed", "name",  "actions"};
constexpr std::string_view kUnderRule = "an [[observers.actions]] under this rule";
constexpr std::array<MisplacedKey, 10> kMisplacedInRule = {{{"type", kUnderRule},
                                                            {"url", kUnderRule},
                                                            {"url_env", kUnderRule},
                                                            {"headers", kUnderRule},
                                                            {"secret_env", kUnderRule},
                                                            {"timeout_ms", kUnderRule},
                                                            {"retry", kUnderRule},
                                                            {"backend", "[observers]"},
                                                            {"nats_url", "[observers]"},
                                                            {"redis_url", "[observers]"}}};
constexpr std::array<std::string_view, 8> kActionKeys = {
    "type", "url", "url_env", "headers", "secret_env", "timeout_ms", "subject", "retry"};
constexpr std::array<Choice<ActionType>, 3> kActionTypes = {
    {{"webhook", ActionType::Webhook}, {"nats", ActionType::Nats}, {"redis", ActionType::Redis}}};
constexpr std::array<Choice<Backoff>, 3> kBackoffs = {{{"exponential", Backoff::Exponential},
                                                       {"linear", Backoff::Linear},
                                                       {"fixed", Backoff::Fixed}}};
constexpr std::array<Choice<Operation>, 3> kOperations = {
    {{"INSERT", Operation::Insert}, {"UPDATE", Operation::Update}, {"DELETE", Operation::Delete}}};
constexpr std::array<std::string_view, 4> kEventWords = {"INSERT", "UPDATE", "DELETE", "*"};

std::optional<Operation> operation_named(std::string_view word) {
  for (const auto& choice : kOperations) {
    if (choice.word == word) return choice.value;
  }
  return std::nullopt;
}

bool is_http_url(std::string_view url) {
  return url.starts_with("http://") || url.starts_with("https://");
}

// `table = "tb_order"` or `"schema.tb_order"`; returns the table as written.
std::optional<std::string> read_table(const TableReader& reader, Rule& rule) {
  const auto written = reader.string("table");
  if (!written) {
    if (!reader.has("table")) {
      reader.context().diagnostics.error(reader.pos(), "[[observers]] rule has no 'table'");
    }
    return std::nullopt;
  }
  const std::size_t dot = written->find('.');
  const bool two_parts =
      dot != std::string::npos && written->find('.', dot + 1) == std::string::npos;
  const bool valid = !written->empty() && (dot == std::string::npos ||
                                           (two_parts && dot > 0 && dot + 1 < written->size()));
  if (!valid) {
    reader.error_at_value(
        "table",
        fmt::format("'table' must be \"table\" or \"schema.table\", got \"{}\"", *written));
    return std::nullopt;
  }
  rule.schema = dot == std::string::npos ? "public" : written->substr(0, dot);
  rule.table = dot == std::string::npos ? *written : written->substr(dot + 1);
  return written;
}

// Adds one event word to the rule; returns false when it is not one.
bool add_event(const TableReader& reader, const toml::node& node, const std::string& word,
               Rule& rule) {
  if (word == "*") {
    rule.events = {Operation::Insert, Operation::Update, Operation::Delete};
    return true;
  }
  const auto operation = operation_named(word);
  if (!operation) {
    reader.context().diagnostics.error(node, unknown_choice_message("event", word, kEventWords));
    return false;
  }
  if (std::find(rule.events.begin(), rule.events.end(), *operation) != rule.events.end()) {
    reader.context().diagnostics.error(node, fmt::format("event \"{}\" is listed twice", word));
    return false;
  }
  rule.events.push_back(*operation);
  return true;
}

// `event = "INSERT"`, `"*"` or a list; returns the events as written, for the default name.
std::optional<std::string> read_events(const TableReader& reader, Rule& rule) {
  Diagnostics& diagnostics = reader.context().diagnostics;
  const toml::node* node = reader.node("event");
  if (node == nullptr) {
    diagnostics.error(reader.pos(), "[[observers]] rule has no 'event'");
    return std::nullopt;
  }
  if (node->is_string()) {
    const auto word = reader.interpolated(*node, "event");
    if (!word || !add_event(reader, *node, *word, rule)) return std::nullopt;
    return word;
  }
  const auto* list = node->as_array();
  if (list == nullptr) {
    reader.wrong_type(*node, "event", "a string or a list of strings");
    return std::nullopt;
  }
  if (list->empty()) {
    diagnostics.error(*node,
                      "'event' must list at least one of \"INSERT\", \"UPDATE\", \"DELETE\"");
    return std::nullopt;
  }
  std::string written;
  bool valid = true;
  for (const toml::node& entry : *list) {
    if (!entry.is_string()) {
      diagnostics.error(entry, fmt::format("each entry of 'event' must be a string, got {}",
                                           type_name(entry.type())));
      valid = false;
      continue;
    }
    const auto word = reader.interpolated(entry, "event");
    if (!word) {
      valid = false;
    } else if (*word == "*") {
      diagnostics.error(entry, "\"*\" already means every event; write event = \"*\" on its own");
      valid = false;
    } else {
      valid = add_event(reader, entry, *word, rule) && valid;
      written += (written.empty() ? "" : ",") + *word;
    }
  }
  if (!valid) return std::nullopt;
  return written;
}

void read_changed(const TableReader& reader, Rule& rule) {
  const toml::node* node = reader.node("changed");
  if (node == nullptr) return;
  rule.changed_pos = reader.context().diagnostics.at(*node);
  const auto* list = node->as_array();
  if (list == nullptr) {
    reader.wrong_type(*node, "changed", "a list of column names");
    return;
  }
  for (const toml::node& entry : *list) {
    if (!entry.is_string()) {
      reader.context().diagnostics.error(
          entry,
          fmt::format("each entry of 'changed' must be a string, got {}", type_name(entry.type())));
    } else if (auto column = reader.interpolated(entry, "changed")) {
      rule.changed.push_back(std::move(*column));
    }
  }
  const bool has_update =
      std::find(rule.events.begin(), rule.events.end(), Operation::Update) != rule.events.end();
  if (!rule.events.empty() && !has_update) {
    reader.error_at_value("changed",
                          "'changed' only applies to UPDATE events, and this rule has no UPDATE");
  }
}

void read_webhook_target(const TableReader& reader, Action& action) {
  if (reader.has("url") && reader.has("url_env")) {
    reader.error_at_key("url_env", "'url' and 'url_env' are both set; keep one");
  } else if (!reader.has("url") && !reader.has("url_env")) {
    reader.context().diagnostics.error(action.pos, "webhook action has no 'url' or 'url_env'");
  }
  if (const auto url = reader.string("url")) {
    if (is_http_url(*url)) {
      action.url = Secret{*url, ""};
    } else {
      reader.error_at_value("url", "'url' must be an http:// or https:// URL");
    }
  }
  if (const auto url = reader.env_secret("url_env")) {
    if (is_http_url(url->value)) {
      action.url = *url;
    } else {
      reader.error_at_value("url_env",
                            fmt::format("environment variable {} named by 'url_env' must hold an "
                                        "http:// or https:// URL",
                                        url->from_env));
    }
  }
  action.secret = reader.env_secret("secret_env");
  if (const toml::table* headers = reader.table("headers")) {
    for (const auto& [name, value] : *headers) {
      if (!value.is_string()) {
        reader.context().diagnostics.error(
            value, fmt::format("header '{}' must be a string, got {}", name.str(),
                               type_name(value.type())));
      } else if (auto text = reader.interpolated(value, "headers")) {
        action.headers.emplace(std::string(name.str()), std::move(*text));
      }
    }
  }
  if (reader.has("subject")) {
    reader.error_at_key("subject", "'subject' is only for nats and redis actions");
  }
}

void reject_webhook_keys(const TableReader& reader, std::string_view type) {
  for (const std::string_view key : {"url", "url_env", "secret_env", "headers"}) {
    if (reader.has(key)) {
      reader.error_at_key(key, fmt::format("'{}' is only for webhook actions; a {} action "
                                           "publishes to the rule's 'subject' or its own",
                                           key, type));
    }
  }
}

Action read_action(LoadContext& context, const toml::table& table, const RetryPolicy& retry) {
  const TableReader reader(context, table, "[[observers.actions]] action", kActionKeys);
  Action action;
  action.pos = reader.pos();
  action.retry = retry;
  const auto type = reader.has("type") ? reader.choice<ActionType>("type", kActionTypes)
                                       : std::optional<ActionType>(ActionType::Webhook);
  if (type) action.type = *type;
  if (type == ActionType::Webhook) read_webhook_target(reader, action);
  if (type == ActionType::Nats) reject_webhook_keys(reader, "nats");
  if (type == ActionType::Redis) reject_webhook_keys(reader, "redis");
  if (const auto timeout = reader.integer("timeout_ms", 1)) action.timeout_ms = *timeout;
  if (type != ActionType::Webhook) {
    action.subject = reader.string("subject");
    if (action.subject) check_subject(reader, "subject", *action.subject, false);
  }
  if (const toml::table* retry_table = reader.table("retry")) {
    const TableReader retry_reader(context, *retry_table, "[observers.actions.retry]", kRetryKeys);
    action.retry = read_retry(retry_reader, retry);
    action.retry_overridden = true;
  }
  return action;
}

}  // namespace

RetryPolicy read_retry(const TableReader& reader, RetryPolicy base) {
  if (const auto value = reader.integer("max_attempts", 1, INT_MAX)) {
    base.max_attempts = static_cast<int>(*value);
  }
  const auto initial = reader.integer("initial_delay_ms", 0);
  const auto max = reader.integer("max_delay_ms", 0);
  if (initial) base.initial_delay_ms = *initial;
  if (max) base.max_delay_ms = *max;
  if (const auto backoff = reader.choice<Backoff>("backoff", kBackoffs)) base.backoff = *backoff;
  if (base.initial_delay_ms > base.max_delay_ms) {
    const std::string_view at = initial ? "initial_delay_ms" : "max_delay_ms";
    reader.error_at_value(at, fmt::format("'initial_delay_ms' ({}) must not be greater than "
                                          "'max_delay_ms' ({})",
                                          base.initial_delay_ms, base.max_delay_ms));
  }
  return base;
}

Rule read_rule(LoadContext& context, const toml::table& table, const RetryPolicy& retry) {
  const TableReader reader(context, table, "[[observers]] rule", kRuleKeys, kMisplacedInRule);
  Rule rule;
  rule.pos = reader.pos();
  const auto table_written = read_table(reader, rule);
  const auto events_written = read_events(reader, rule);
  if (const auto name = reader.string("name")) {
    if (name->empty()) {
      reader.error_at_value("name", "'name' must not be empty");
    } else {
      rule.name = *name;
      rule.name_given = true;
    }
  } else if (table_written && events_written) {
    rule.name = *table_written + ":" + *events_written;
  }
  rule.subject = reader.string("subject");
  if (rule.subject) check_subject(reader, "subject", *rule.subject, false);
  if (const toml::node* condition = reader.node("condition")) {
    rule.condition = reader.string("condition");
    rule.condition_pos = context.diagnostics.first_character(*condition);
  }
  read_changed(reader, rule);
  for (const toml::table* action_table : reader.tables("actions")) {
    rule.actions.push_back(read_action(context, *action_table, retry));
  }
  return rule;
}

}  // namespace herald::config
