#include "config/table_reader.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "config/interpolate.hpp"
#include "config/suggest.hpp"

namespace herald::config {

std::string_view type_name(toml::node_type type) {
  switch (type) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

std::string unknown_choice_message(std::string_view what, std::string_view word,
                                   std::span<const std::string_view> allowed) {
  std::string list;
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    if (i > 0) list += i + 1 == allowed.size() ? " or " : ", ";
    list += fmt::format("\"{}\"", allowed[i]);
  }
  return fmt::format("unknown {} \"{}\"; expected {}", what, word, list);
}

TableReader::TableReader(LoadContext& context, const toml::table& table, std::string where,
                         std::span<const std::string_view> known_keys,
                         std::span<const MisplacedKey> misplaced)
    : context_(context), table_(table), where_(std::move(where)) {
  check_keys(known_keys, misplaced);
}

void TableReader::check_keys(std::span<const std::string_view> known_keys,
                             std::span<const MisplacedKey> misplaced) const {
  for (const auto& [key, value] : table_) {
    const std::string_view name = key.str();
    if (std::find(known_keys.begin(), known_keys.end(), name) != known_keys.end()) continue;
    std::string message = fmt::format("unknown key '{}' in {}", name, where_);
    const auto home = std::find_if(misplaced.begin(), misplaced.end(),
                                   [name](const MisplacedKey& entry) { return entry.key == name; });
    if (home != misplaced.end()) {
      message += fmt::format("; it belongs in {}", home->belongs_in);
    } else if (const auto suggestion = closest_match(name, known_keys)) {
      message += fmt::format("; did you mean '{}'?", *suggestion);
    } else {
      message += fmt::format(" (known keys: {})", fmt::join(known_keys, ", "));
    }
    context_.diagnostics.error(context_.diagnostics.at(key.source().begin), std::move(message));
  }
}

SourcePos TableReader::value_pos(std::string_view key) const {
  const toml::node* found = table_.get(key);
  return found != nullptr ? context_.diagnostics.at(*found) : pos();
}

SourcePos TableReader::key_pos(std::string_view key) const {
  const auto found = table_.find(key);
  return found != table_.end() ? context_.diagnostics.at(found->first.source().begin) : pos();
}

void TableReader::error_at_value(std::string_view key, std::string message) const {
  context_.diagnostics.error(value_pos(key), std::move(message));
}

void TableReader::error_at_key(std::string_view key, std::string message) const {
  context_.diagnostics.error(key_pos(key), std::move(message));
}

void TableReader::wrong_type(const toml::node& node, std::string_view key,
                             std::string_view expected) const {
  context_.diagnostics.error(
      node, fmt::format("'{}' must be {}, got {}", key, expected, type_name(node.type())));
}

std::optional<std::string> TableReader::interpolated(const toml::node& node,
                                                     std::string_view key) const {
  const auto* text = node.as_string();
  if (text == nullptr) return std::nullopt;
  Interpolation result = interpolate(text->get(), context_.env);
  for (const std::string& problem : result.problems) {
    context_.diagnostics.error(node, fmt::format("'{}' {}", key, problem));
  }
  if (!result.problems.empty()) return std::nullopt;
  return std::move(result.value);
}

std::optional<std::string> TableReader::string(std::string_view key) const {
  const toml::node* found = table_.get(key);
  if (found == nullptr) return std::nullopt;
  if (!found->is_string()) {
    wrong_type(*found, key, "a string");
    return std::nullopt;
  }
  return interpolated(*found, key);
}

std::optional<std::int64_t> TableReader::integer(std::string_view key, std::int64_t min,
                                                 std::int64_t max) const {
  const toml::node* found = table_.get(key);
  if (found == nullptr) return std::nullopt;
  const auto* number = found->as_integer();
  if (number == nullptr) {
    wrong_type(*found, key, "an integer");
    return std::nullopt;
  }
  const std::int64_t value = number->get();
  if (value < min) {
    error_at_value(key, fmt::format("'{}' must be at least {}, got {}", key, min, value));
    return std::nullopt;
  }
  if (value > max) {
    error_at_value(key, fmt::format("'{}' must be at most {}, got {}", key, max, value));
    return std::nullopt;
  }
  return value;
}

std::optional<bool> TableReader::boolean(std::string_view key) const {
  const toml::node* found = table_.get(key);
  if (found == nullptr) return std::nullopt;
  const auto* flag = found->as_boolean();
  if (flag == nullptr) {
    wrong_type(*found, key, "a boolean");
    return std::nullopt;
  }
  return flag->get();
}

const toml::table* TableReader::table(std::string_view key) const {
  const toml::node* found = table_.get(key);
  if (found == nullptr) return nullptr;
  if (!found->is_table()) wrong_type(*found, key, "a table");
  return found->as_table();
}

std::vector<const toml::table*> TableReader::tables(std::string_view key) const {
  std::vector<const toml::table*> result;
  const toml::node* found = table_.get(key);
  if (found == nullptr) return result;
  const auto* list = found->as_array();
  if (list == nullptr) {
    wrong_type(*found, key, "an array of tables");
    return result;
  }
  for (const toml::node& entry : *list) {
    if (const auto* entry_table = entry.as_table()) {
      result.push_back(entry_table);
    } else {
      context_.diagnostics.error(entry, fmt::format("each entry of '{}' must be a table, got {}",
                                                    key, type_name(entry.type())));
    }
  }
  return result;
}

std::optional<Secret> TableReader::env_secret(std::string_view key) const {
  const auto name = string(key);
  if (!name) return std::nullopt;
  if (name->empty()) {
    error_at_value(key, fmt::format("'{}' must name an environment variable, got \"\"", key));
    return std::nullopt;
  }
  const auto value = context_.env(*name);
  if (!value || value->empty()) {
    error_at_value(key, fmt::format("environment variable {} named by '{}' is {}", *name, key,
                                    value ? "empty" : "not set"));
    return std::nullopt;
  }
  return Secret{*value, *name};
}

}  // namespace herald::config
