// graphql_engine_check SCHEMA_FILE: reads requests, one JSON object a line, from stdin
// ({"query", "variables"?, "operationName"?}), and prints for each a line
// {"validation": [errors], "result": {data, errors}} — for comparing the engine with
// graphql-js (engine_agreement.mjs).
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "graphql/execute.hpp"
#include "graphql/parser.hpp"
#include "graphql/schema.hpp"
#include "graphql/validate.hpp"

int main(int argc, char** argv) {
  using json = nlohmann::ordered_json;
  namespace gql = herald::graphql;
  if (argc != 2) {
    std::cerr << "usage: graphql_engine_check SCHEMA_FILE < requests.jsonl\n";
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
        auto result = gql::execute(*built.schema, *document, request.value("operationName", ""),
                                   request.value("variables", json::object()), {});
        out["result"] = result.to_json();
      }
    }
    std::cout << out.dump() << "\n";
  }
  return 0;
}
