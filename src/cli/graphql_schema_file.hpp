#pragma once
// The SDL file of [server] schema, as `herald run` and `herald check` read it: built into
// a schema, and checked against the database (every @view and @function must exist).
// Problems come back as lines a user can jump to: "schema.graphql:LINE:COL: message".

#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "graphql/schema.hpp"
#include "pg/connection.hpp"

namespace herald::cli {

struct SchemaFile {
  std::string shown_path;                         // the file as messages name it
  std::shared_ptr<const graphql::Schema> schema;  // null when `errors` is not empty
  std::vector<std::string> errors;                // located, one problem each
};

// Reads and builds `path` (absolute, as config::Server::schema_path holds it).
SchemaFile load_schema_file(const std::string& path);

// Bindings missing from the database, located at their fields; empty when all exist.
// `unreachable` is set (and the result empty) when the check itself could not run.
struct BindingProblems {
  std::vector<std::string> missing;
  std::string unreachable;
};
BindingProblems check_schema_bindings(pg::Connection& db, const SchemaFile& file);

// [[observers.publish]] entries whose mutation is no @function field of the schema's
// Mutation type (they would publish nothing), located in the config file.
std::vector<std::string> check_publish_mutations(const config::Observers& observers,
                                                 const SchemaFile& file);

}  // namespace herald::cli
