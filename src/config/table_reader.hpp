#pragma once
// Reads the keys of one TOML table with the checks every key gets: unknown keys (with
// "did you mean"), types, `${VAR}` interpolation, ranges and enum values. Every
// problem becomes an error in Diagnostics; a getter then returns nothing and the
// caller keeps its default, so reading continues and all errors are collected.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <toml++/toml.h>

#include "config/diagnostics.hpp"
#include "config/loader.hpp"

namespace herald::config {

struct LoadContext {
  Diagnostics& diagnostics;
  const EnvLookup& env;
};

// "a string", "an integer", ... as used in "must be X, got Y".
std::string_view type_name(toml::node_type type);

// `unknown backend "kafka"; expected "nats", "redis" or "webhook"`
std::string unknown_choice_message(std::string_view what, std::string_view word,
                                   std::span<const std::string_view> allowed);

// A key that is often written in the wrong table, and where it belongs.
struct MisplacedKey {
  std::string_view key;
  std::string_view belongs_in;  // "[observers]"
};

template <typename E>
struct Choice {
  std::string_view word;
  E value;
};

class TableReader {
 public:
  // `where` names the table in messages ("[[observers]] rule"). Unknown keys are
  // reported right away, with where they belong when `misplaced` knows them.
  TableReader(LoadContext& context, const toml::table& table, std::string where,
              std::span<const std::string_view> known_keys,
              std::span<const MisplacedKey> misplaced = {});

  const toml::table& table() const { return table_; }
  const std::string& where() const { return where_; }
  LoadContext& context() const { return context_; }
  SourcePos pos() const { return context_.diagnostics.at(table_); }
  bool has(std::string_view key) const { return table_.get(key) != nullptr; }
  const toml::node* node(std::string_view key) const { return table_.get(key); }
  SourcePos value_pos(std::string_view key) const;
  SourcePos key_pos(std::string_view key) const;
  void error_at_value(std::string_view key, std::string message) const;
  void error_at_key(std::string_view key, std::string message) const;

  std::optional<std::string> string(std::string_view key) const;
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min,
                                      std::int64_t max = INT64_MAX) const;
  std::optional<bool> boolean(std::string_view key) const;
  const toml::table* table(std::string_view key) const;
  // An array of tables (`[[x]]` or `x = [{...}]`); non-table entries are errors.
  std::vector<const toml::table*> tables(std::string_view key) const;
  // A `*_env` key: the named variable's value; unset or empty is an error.
  std::optional<Secret> env_secret(std::string_view key) const;
  // A string that must be one of `choices`; `what` names it ("backend").
  template <typename E>
  std::optional<E> choice(std::string_view key, std::span<const Choice<E>> choices) const {
    const auto word = string(key);
    if (!word) return std::nullopt;
    for (const auto& candidate : choices) {
      if (candidate.word == *word) return candidate.value;
    }
    std::vector<std::string_view> words;
    for (const auto& candidate : choices) words.push_back(candidate.word);
    error_at_value(key, unknown_choice_message(key, *word, words));
    return std::nullopt;
  }

  // Interpolates a string node's text, reporting problems under `key`'s name.
  std::optional<std::string> interpolated(const toml::node& node, std::string_view key) const;
  void wrong_type(const toml::node& node, std::string_view key, std::string_view expected) const;

 private:
  void check_keys(std::span<const std::string_view> known_keys,
                  std::span<const MisplacedKey> misplaced) const;

  LoadContext& context_;
  const toml::table& table_;
  std::string where_;
};

}  // namespace herald::config
