#pragma once
// herald's configuration as plain structs: what fraiseql.toml says, with defaults
// applied, `${VAR}` interpolated and `*_env` keys resolved. Modules receive these
// structs (or parts of them), never the TOML document. They compare with == (the two
// spellings of the observers dialect load to equal configs).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/operation.hpp"

namespace herald::config {

// Where a value came from in the user's own file, for errors raised after loading
// (a condition that does not parse, a column the table lacks).
struct SourcePos {
  std::string file;
  int line = 0;
  int column = 0;

  bool operator==(const SourcePos&) const = default;
};

// A value read from an environment variable named by a `*_env` key. It is never
// printed; `from_env` names the variable so summaries can say where it came from.
struct Secret {
  std::string value;
  std::string from_env;

  bool operator==(const Secret&) const = default;
};

using Operation = herald::Operation;
enum class Backend { Nats, Redis, Webhook };
enum class ActionType { Webhook, Nats, Redis };
enum class Backoff { Exponential, Linear, Fixed };
enum class Format { Fraiseql, CloudEvents };
enum class RedisMode { Stream, PubSub };

struct RetryPolicy {
  int max_attempts = 10;  // total tries, the first included
  std::int64_t initial_delay_ms = 500;
  std::int64_t max_delay_ms = 300000;
  Backoff backoff = Backoff::Exponential;

  bool operator==(const RetryPolicy&) const = default;
};

struct Action {
  ActionType type = ActionType::Webhook;
  // webhook: the target URL; either written in the file (`url`) or read from `url_env`.
  std::optional<Secret> url;
  std::map<std::string, std::string> headers;
  std::optional<Secret> secret;  // Standard Webhooks signing key, from `secret_env`
  std::int64_t timeout_ms = 10000;
  std::optional<std::string> subject;  // nats/redis: overrides the rule's subject
  RetryPolicy retry;                   // [observers.retry] unless overridden
  bool retry_overridden = false;
  SourcePos pos;

  bool operator==(const Action&) const = default;
};

struct Rule {
  std::string name;  // given, or "<table>:<event>"
  bool name_given = false;
  std::string schema;             // "public" unless the table says "schema.table"
  std::string table;              // without schema
  std::vector<Operation> events;  // never empty; "*" = all three
  // Empty = derived per operation: <prefix>.<entity>.<created|updated|deleted>.
  std::optional<std::string> subject;
  std::optional<std::string> condition;
  SourcePos condition_pos;  // of the condition string's first character
  std::vector<std::string> changed;
  SourcePos changed_pos;
  std::vector<Action> actions;  // empty = deliver with the [observers] backend
  SourcePos pos;                // of the rule's header line

  bool operator==(const Rule&) const = default;
};

struct Publish {
  std::string mutation;
  std::string subject;  // default <prefix>.<mutation>
  SourcePos pos;

  bool operator==(const Publish&) const = default;
};

struct Subscribe {
  std::string subject;
  std::string handler;  // SQL function taking one jsonb
  std::string durable;  // default derived from handler
  int max_deliver = 10;
  SourcePos pos;

  bool operator==(const Subscribe&) const = default;
};

struct Observers {
  Backend backend = Backend::Nats;
  std::optional<std::string> nats_url;
  std::optional<std::string> redis_url;
  std::string subject_prefix = "fraiseql";
  bool jetstream = true;
  std::string stream = "FRAISEQL";
  RedisMode redis_mode = RedisMode::Stream;
  std::int64_t redis_maxlen = 1000000;
  Format format = Format::Fraiseql;
  std::string slot = "herald";
  std::string publication = "herald";
  // How long capture waits to read again once the stream runs dry after changes, so that
  // reads, publishes and acks come in batches (docs/configuration.md).
  std::int64_t batch_window_ms = 5;
  RetryPolicy retry;
  std::string dlq_subject;  // empty = dead letters stay in the database only
  std::vector<Rule> rules;
  std::vector<Publish> publish;
  std::vector<Subscribe> subscribe;

  bool operator==(const Observers&) const = default;
};

struct Database {
  std::optional<Secret> url;  // [database] url, else $DATABASE_URL

  bool operator==(const Database&) const = default;
};

struct Server {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string schema_path;  // absolute, resolved against the config file's folder
  int max_connections = 10000;
  int workers = 4;  // GraphQL requests executed at once, a database connection each

  bool operator==(const Server&) const = default;
};

struct Auth {
  Secret jwt_secret;

  bool operator==(const Auth&) const = default;
};

struct Config {
  std::string path;  // the file as the user named it
  Database database;
  std::optional<Server> server;
  std::optional<Auth> auth;
  Observers observers;  // no [observers] table = no rules, no subscriptions

  bool operator==(const Config&) const = default;
};

}  // namespace herald::config
