#pragma once
// Introspection (spec 4.2): the values of __Schema, __Type, __Field, ... fields.
// A __Type is represented as a small JSON handle ({"name": "Order"} or {"ofKind":
// "LIST", "ofType": handle}); other introspection objects are materialized as JSON,
// so the executor projects them like any other value.

#include <nlohmann/json.hpp>

#include "graphql/schema.hpp"

namespace herald::graphql {

nlohmann::ordered_json schema_handle();
nlohmann::ordered_json type_handle(const TypeRef& type);
nlohmann::ordered_json named_type_handle(const std::string& name);

// The value of `field` of an introspection object `value` whose type is `parent_type`.
nlohmann::ordered_json resolve_introspection(const Schema& schema, const std::string& parent_type,
                                             const nlohmann::ordered_json& value,
                                             const std::string& field,
                                             const nlohmann::ordered_json& args);

}  // namespace herald::graphql
