#pragma once
// Block strings ("""...""") and the spec's BlockStringValue algorithm: the common
// indentation of all lines but the first is removed, then leading and trailing blank
// lines are dropped, and the lines are joined with \n.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace herald::graphql {

// `raw_lines` are the lines between the quotes, split at line terminators, with \"""
// already replaced by """.
std::string block_string_value(const std::vector<std::string>& raw_lines);

// Source text of a block string whose BlockStringValue is exactly `value`, or nullopt if
// no block string has that value (a \r, or indentation that dedenting would strip).
std::optional<std::string> print_block_string(std::string_view value);

}  // namespace herald::graphql
