#pragma once
// Where root fields bound by @view / @function get their data. The engine knows no SQL:
// it hands a DataSource the binding and the coerced arguments and projects the JSON it
// returns onto the selection. PgDataSource (pg_data_source.hpp) is the real one; tests
// may plug in their own.

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace herald::graphql {

struct ViewQuery {
  std::string view;                   // @view(name:)
  nlohmann::ordered_json filters;     // {"customer_id": "42"}: column -> value, equality
  std::optional<std::int64_t> limit;  // from a `limit` argument
  std::optional<std::int64_t> offset;
};

struct FunctionCall {
  std::string function;  // @function(name:)
  nlohmann::ordered_json
      arguments;              // the field's arguments as one object (a lone `input` unwrapped)
  std::string mutation;       // the field's name, e.g. "createOrder"
  std::string entity_type;    // the return type's name with a lowercase first letter
  bool returns_list = false;  // a list type: every result row, not only the first
};

class DataSource {
 public:
  virtual ~DataSource() = default;
  // Rows of the view as a JSON array of objects.
  virtual Result<nlohmann::ordered_json> query(const ViewQuery& query) = 0;
  // The function's result (object, array or null), committed when this returns a value.
  virtual Result<nlohmann::ordered_json> mutate(const FunctionCall& call) = 0;
};

}  // namespace herald::graphql
