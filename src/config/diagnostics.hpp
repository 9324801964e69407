#pragma once
// Collects configuration errors, each located in the user's own file. Positions from
// toml++ refer to the rewritten (plain TOML) text; this maps them back.

#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "config/dialect.hpp"
#include "config/loader.hpp"

namespace herald::config {

class Diagnostics {
 public:
  Diagnostics(std::string path, const ColumnMap& columns, std::string_view original_text);

  const std::string& path() const { return path_; }
  SourcePos at(const toml::source_position& position) const;
  SourcePos at(const toml::node& node) const { return at(node.source().begin); }
  // Where a string value's content starts: just past its opening quote(s), or on the
  // next line when a multi-line string opens with a line break.
  SourcePos first_character(const toml::node& string_node) const;

  void error(SourcePos pos, std::string message);
  void error(const toml::node& node, std::string message) { error(at(node), std::move(message)); }
  bool has_errors() const { return !errors_.empty(); }
  // All errors in file order (line, then column); errors without a line come first.
  std::vector<ConfigError> take_sorted();

 private:
  std::string path_;
  const ColumnMap& columns_;
  std::vector<std::string_view> lines_;
  std::vector<ConfigError> errors_;
};

}  // namespace herald::config
