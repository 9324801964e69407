// graphql_engine_check SCHEMA_FILE [DATA_FILE]: reads requests, one JSON object a line,
// from stdin ({"query", "variables"?, "operationName"?}), and prints for each a line
// {"validation": [errors], "result": {data, errors}} — for comparing the engine with
// graphql-js (engine_agreement.mjs). DATA_FILE ({"views": {name: rows}, "root": {...}})
// feeds a fixture DataSource that engine_agreement.mjs mirrors in JavaScript.
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "graphql/execute.hpp"
#include "graphql/parser.hpp"
#include "graphql/schema.hpp"
#include "graphql/validate.hpp"

namespace {

using json = nlohmann::ordered_json;
namespace gql = herald::graphql;

std::string text_of(const json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

// Rows of fixture views filtered by equality of their text; functions echo their
// arguments with an id, except fn_cancel_order, which fails.
class FixtureSource : public gql::DataSource {
 public:
  explicit FixtureSource(json views) : views_(std::move(views)) {}

  herald::Result<json> query(const gql::ViewQuery& q) override {
    json rows = json::array();
    for (const auto& row : views_.value(q.view, json::array())) {
      bool keep = true;
      for (const auto& [column, value] : q.filters.items()) {
        keep = keep && row.contains(column) && text_of(row[column]) == text_of(value);
      }
      if (keep) rows.push_back(row);
    }
    json page = json::array();
    const auto offset = static_cast<std::size_t>(q.offset.value_or(0));
    for (std::size_t i = offset; i < rows.size(); ++i) {
      if (q.limit && page.size() >= static_cast<std::size_t>(*q.limit)) break;
      page.push_back(rows[i]);
    }
    return page;
  }

  herald::Result<json> mutate(const gql::FunctionCall& call) override {
    if (call.function == "fn_cancel_order") return herald::make_error("cannot cancel");
    json result = call.arguments.is_object() ? call.arguments : json::object();
    result["id"] = "new";
    return result;
  }

 private:
  json views_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::cerr << "usage: graphql_engine_check SCHEMA_FILE [DATA_FILE] < requests.jsonl\n";
    return 2;
  }
  std::ifstream file(argv[1]);
  std::stringstream sdl;
  sdl << file.rdbuf();
  auto built = gql::build_schema(sdl.str());
  if (!built.ok()) {
    std::cout << json{{"schemaErrors", gql::errors_to_json(built.errors)}}.dump() << "\n";
    return 1;
  }
  json data = {{"views", json::object()}, {"root", json::object()}};
  if (argc == 3) data = json::parse(std::ifstream(argv[2]));
  FixtureSource source(data["views"]);
  std::string line;
  while (std::getline(std::cin, line)) {
    json request = json::parse(line);
    json out = json::object();
    auto document = gql::parse(request.value("query", std::string()));
    if (!document) {
      out["syntaxError"] = document.error().message;
    } else {
      auto errors = gql::validate(*built.schema, *document);
      out["validation"] = gql::errors_to_json(errors);
      if (errors.empty()) {
        auto result =
            gql::execute(*built.schema, *document, request.value("operationName", ""),
                         request.value("variables", json::object()), {&source, data["root"]});
        out["result"] = result.to_json();
      }
    }
    std::cout << out.dump() << "\n";
  }
  return 0;
}
