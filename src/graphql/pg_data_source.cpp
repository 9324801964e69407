#include "graphql/pg_data_source.hpp"

#include "pg/quote.hpp"

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
  // One statement, so one round trip: PostgreSQL runs it as a transaction of its own, and
  // for a published mutation the logical message commits with the function's writes or
  // not at all (BEGIN, the call, the message and COMMIT as separate statements took four).
  // The rows come back as one JSON array.
  const std::string rows = "coalesce(jsonb_agg(to_jsonb(r)), '[]'::jsonb)";
  const std::string from = " FROM " + sql_name(call.function) + "($1::jsonb) AS r";
  const bool published = publish_.count(call.mutation) > 0;
  std::string sql;
  std::vector<pg::Param> params{call.arguments.dump()};
  if (!published) {
    sql = "SELECT " + rows + from;
  } else {
    // The message herald turns into the mutation's event: {mutation, entity_type,
    // entity_id (the result's "id"), entity (the result)}.
    sql = "WITH called AS (SELECT " + rows + " AS list" + from +
          "), chosen AS (SELECT CASE WHEN $4::boolean THEN list ELSE list -> 0 END AS v "
          "FROM called), emitted AS (SELECT pg_logical_emit_message(true, 'herald', "
          "jsonb_build_object('mutation', $2::text, 'entity_type', $3::text, 'entity_id', "
          "coalesce(v -> 'id', 'null'::jsonb), 'entity', coalesce(v, 'null'::jsonb))::text) "
          "FROM chosen) SELECT list FROM called, emitted";
    params.emplace_back(call.mutation);
    params.emplace_back(call.entity_type);
    params.emplace_back(call.returns_list ? "true" : "false");
  }
  auto result = connection_.exec_params(sql, params);
  if (!result) return client_error(result.error());
  auto rows_json = rows_as_json(*result);
  if (!rows_json) return rows_json;
  if (rows_json->size() != 1 || !(*rows_json)[0].is_array()) {
    return make_error("The database returned a value that is not a JSON array of rows.");
  }
  json list = std::move((*rows_json)[0]);
  if (call.returns_list) return list;
  return list.empty() ? json(nullptr) : json(std::move(list[0]));
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
