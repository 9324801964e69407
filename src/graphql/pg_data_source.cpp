#include "graphql/pg_data_source.hpp"

#include "pg/quote.hpp"
#include "pg/transaction.hpp"

namespace herald::graphql {

using json = nlohmann::ordered_json;

namespace {

// A JSON value as the text of a bind parameter; PostgreSQL infers the type from the
// column it is compared with.
pg::Param param_text(const json& value) {
  if (value.is_null()) return std::nullopt;
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

// The message a client sees for a failed statement: PostgreSQL's own words (a RAISE
// EXCEPTION text), without the SQL that herald wrote.
Error client_error(const pg::Error& error) {
  return make_error(error.primary.empty() ? error.message : error.primary);
}

Result<json> rows_as_json(const pg::QueryResult& result) {
  json rows = json::array();
  for (int row = 0; row < result.rows(); ++row) {
    if (result.is_null(row, 0)) {
      rows.push_back(nullptr);
      continue;
    }
    json value = json::parse(result.get(row, 0), nullptr, false);
    if (value.is_discarded()) return make_error("The database returned a value that is not JSON.");
    rows.push_back(std::move(value));
  }
  return rows;
}

}  // namespace

std::string sql_name(std::string_view name) {
  const auto dot = name.find('.');
  if (dot == std::string_view::npos) return pg::quote_ident(name);
  return pg::qualified_name(name.substr(0, dot), name.substr(dot + 1));
}

PgDataSource::PgDataSource(pg::Connection& connection, std::set<std::string, std::less<>> publish)
    : connection_(connection), publish_(std::move(publish)) {}

Result<json> PgDataSource::query(const ViewQuery& query) {
  std::string sql = "SELECT to_jsonb(v)::text FROM " + sql_name(query.view) + " AS v";
  pg::Params params;
  const char* glue = " WHERE ";
  for (const auto& [column, value] : query.filters.items()) {
    sql += glue;
    glue = " AND ";
    if (value.is_null()) {
      sql += "v." + pg::quote_ident(column) + " IS NULL";
      continue;
    }
    params.push_back(param_text(value));
    sql += "v." + pg::quote_ident(column) + " = $" + std::to_string(params.size());
  }
  if (query.limit) {
    params.push_back(std::to_string(*query.limit));
    sql += " LIMIT $" + std::to_string(params.size()) + "::bigint";
  }
  if (query.offset) {
    params.push_back(std::to_string(*query.offset));
    sql += " OFFSET $" + std::to_string(params.size()) + "::bigint";
  }
  auto result = connection_.exec_params(sql, params);
  if (!result) return client_error(result.error());
  auto rows = rows_as_json(*result);
  if (!rows) return rows;
  // A view with a `data jsonb` column serves that column as the row.
  for (auto& row : *rows) {
    if (row.is_object() && row.contains("data") && row["data"].is_object()) row = json(row["data"]);
  }
  return rows;
}

Result<json> PgDataSource::mutate(const FunctionCall& call) {
  auto transaction = pg::Transaction::begin(connection_);
  if (!transaction) return client_error(transaction.error());
  const std::string sql =
      "SELECT to_jsonb(r)::text FROM " + sql_name(call.function) + "($1::jsonb) AS r";
  auto result = transaction->exec_params(sql, {call.arguments.dump()});
  if (!result) return client_error(result.error());
  auto rows = rows_as_json(*result);
  if (!rows) return rows;
  json value = call.returns_list ? *rows : (rows->empty() ? json(nullptr) : json((*rows)[0]));
  if (publish_.count(call.mutation) > 0) {
    json entity_id = nullptr;
    if (value.is_object() && value.contains("id")) entity_id = value["id"];
    const json content = {{"mutation", call.mutation},
                          {"entity_type", call.entity_type},
                          {"entity_id", entity_id},
                          {"entity", value}};
    auto emitted = transaction->exec_params(
        "SELECT pg_logical_emit_message(true, 'herald', $1::text)", {content.dump()});
    if (!emitted) return client_error(emitted.error());
  }
  auto committed = transaction->commit();
  if (!committed) return client_error(committed.error());
  return value;
}

Result<void> check_bindings(pg::Connection& connection, const Schema& schema) {
  std::string missing;
  for (const TypeDef& type : schema.types()) {
    for (const FieldDef& field : type.fields) {
      const Binding& b = field.binding;
      if (b.kind != BindingKind::view && b.kind != BindingKind::function) continue;
      const bool view = b.kind == BindingKind::view;
      auto found =
          connection.exec_params(view ? "SELECT to_regclass($1) IS NOT NULL"
                                      : "SELECT to_regprocedure($1 || '(jsonb)') IS NOT NULL",
                                 {sql_name(b.name)});
      if (!found) return make_error("checking " + b.name + ": " + found.error().message);
      if (found->get(0, 0) == "t") continue;
      if (!missing.empty()) missing += "; ";
      missing += view ? "@view(name: \"" + b.name + "\") on " + type.name + "." + field.name +
                            ": no table or view " + b.name + " in the database"
                      : "@function(name: \"" + b.name + "\") on " + type.name + "." + field.name +
                            ": no function " + b.name + "(jsonb) in the database";
    }
  }
  if (!missing.empty()) return make_error(missing);
  return {};
}

}  // namespace herald::graphql
