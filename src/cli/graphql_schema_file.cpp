#include "cli/graphql_schema_file.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

#include "config/loader.hpp"
#include "graphql/pg_data_source.hpp"

namespace herald::cli {
namespace {

namespace fs = std::filesystem;

// The schema path as the user would type it from here: relative to the working
// directory when the file lies below it, else absolute.
std::string shown_path_of(const std::string& path) {
  std::error_code error;
  const fs::path relative = fs::path(path).lexically_relative(fs::current_path(error));
  if (error || relative.empty() || *relative.begin() == "..") return path;
  return relative.string();
}

std::string located(const std::string& file, const graphql::SourceLocation& at,
                    std::string_view message) {
  if (at.line == 0) return fmt::format("{}: {}", file, message);
  return fmt::format("{}:{}:{}: {}", file, at.line, at.column, message);
}

// check_bindings() names each missing binding as `@view(name: "v") on Type.field: ...`
// and joins them with "; ". Each part is located at the field it names.
graphql::SourceLocation field_named_in(const graphql::Schema& schema, std::string_view part) {
  for (const graphql::TypeDef& type : schema.types()) {
    for (const graphql::FieldDef& field : type.fields) {
      if (field.binding.kind != graphql::BindingKind::view &&
          field.binding.kind != graphql::BindingKind::function)
        continue;
      const std::string needle = " on " + type.name + "." + field.name + ":";
      if (part.find(needle) != std::string_view::npos) return field.loc;
    }
  }
  return {};
}

}  // namespace

SchemaFile load_schema_file(const std::string& path) {
  SchemaFile file;
  file.shown_path = shown_path_of(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    file.errors.push_back(fmt::format("{}: cannot read the GraphQL schema: {}", file.shown_path,
                                      std::strerror(errno)));
    return file;
  }
  std::ostringstream text;
  text << in.rdbuf();
  graphql::SchemaBuild built = graphql::build_schema(text.str());
  if (!built.ok()) {
    for (const graphql::GraphQLError& e : built.errors) {
      file.errors.push_back(located(
          file.shown_path, e.locations.empty() ? graphql::SourceLocation{} : e.locations.front(),
          e.message));
    }
    return file;
  }
  file.schema = std::move(built.schema);
  return file;
}

BindingProblems check_schema_bindings(pg::Connection& db, const SchemaFile& file) {
  BindingProblems problems;
  auto checked = graphql::check_bindings(db, *file.schema);
  if (checked) return problems;
  const std::string& message = checked.error().message;
  // A failed catalog query is the database's problem, not the schema's.
  if (message.rfind("checking ", 0) == 0 || !db.is_ok()) {
    problems.unreachable = message;
    return problems;
  }
  std::string_view rest = message;
  while (!rest.empty()) {
    const auto end = rest.find("; @");
    const std::string_view part = rest.substr(0, end);
    problems.missing.push_back(located(file.shown_path, field_named_in(*file.schema, part), part));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 2);
  }
  return problems;
}

std::vector<std::string> check_publish_mutations(const config::Observers& observers,
                                                 const SchemaFile& file) {
  std::vector<std::string> problems;
  const graphql::TypeDef* mutation = file.schema->mutation_type();
  for (const config::Publish& publish : observers.publish) {
    const graphql::FieldDef* field = mutation ? mutation->field(publish.mutation) : nullptr;
    if (field && field->binding.kind == graphql::BindingKind::function) continue;
    config::ConfigError error{
        publish.pos,
        fmt::format("[[observers.publish]] mutation '{}' is not a @function field of "
                    "type {} in {}",
                    publish.mutation, mutation ? mutation->name : "Mutation", file.shown_path)};
    problems.push_back(error.to_string());
  }
  return problems;
}

}  // namespace herald::cli
