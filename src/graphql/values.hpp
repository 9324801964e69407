#pragma once
// Input values (spec 5.6 and 6.4): literal checks for validation, coercion of variables
// (JSON from the client) and of argument literals, and leaf serialization of results.
// Messages follow graphql-js 16.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "graphql/error.hpp"
#include "graphql/schema.hpp"

namespace herald::graphql {

using json = nlohmann::ordered_json;

// Validation of a literal against an input type, variables not looked into (their use is
// checked by another rule). Appends errors located at the offending (sub-)value.
void check_literal(const Schema& schema, const TypeRef& type, const Value& value,
                   std::vector<GraphQLError>& errors);

// Coerces the request's variables for an operation. Errors are request errors.
struct CoercedVariables {
  json values = json::object();
  std::vector<GraphQLError> errors;
};
CoercedVariables coerce_variables(const Schema& schema, const OperationDefinition& operation,
                                  const json& variables);

// Coerces a JSON value (a variable or a default) to an input type; on failure, the
// message (e.g. `Int cannot represent non-integer value: 1.5`) and the path inside it.
struct InputError {
  std::string message;
  std::string path;  // inside the value: "" or e.g. ".items[2]"
  json value;        // the (innermost) value that failed
  bool has_value = false;
};
std::optional<InputError> coerce_json(const Schema& schema, const TypeRef& type, const json& value,
                                      json& out, std::string path = {});

// The value of a literal (already validated) with variables substituted; nullopt when
// it is a variable that was not provided ("undefined").
std::optional<json> value_from_literal(const Schema& schema, const TypeRef& type,
                                       const Value& value, const json& variables);

// Arguments of a field or directive, coerced (spec CoerceArgumentValues): a JSON object
// with the provided or defaulted arguments. On failure, a message for a field error.
std::optional<std::string> coerce_arguments(const Schema& schema,
                                            const std::vector<InputValueDef>& definitions,
                                            const std::vector<Argument>& arguments,
                                            const json& variables, json& out);

// A leaf result value serialized as its type says (spec 3.5 result coercion).
std::optional<std::string> serialize_leaf(const TypeDef& type, const json& value, json& out);

// The literal's JSON, for default values and directive arguments of the schema.
json const_value_to_json(const Value& value);

// graphql-js's inspect() of a JSON value, for messages.
std::string inspect(const json& value);

}  // namespace herald::graphql
