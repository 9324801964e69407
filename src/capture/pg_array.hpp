#pragma once
// PostgreSQL array literals ("{1,2,NULL}", "{{a,\"b c\"},{d,e}}", "[2:3]={7,8}") as JSON
// arrays. Elements go through a caller-supplied converter; NULL elements become null.
// Lower bounds in a "[lo:hi]=" decoration are dropped: a JSON array always starts at 0.

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string_view>

namespace herald::capture {

using ElementConverter = std::function<nlohmann::json(std::string_view element_text)>;

// nullopt when `text` is not a well-formed array literal with ',' as the delimiter.
std::optional<nlohmann::json> parse_pg_array(std::string_view text,
                                             const ElementConverter& element);

}  // namespace herald::capture
