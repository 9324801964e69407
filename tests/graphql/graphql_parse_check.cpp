// graphql_parse_check: herald's verdict on GraphQL documents, one line per file, in the
// format of tools/node/graphql-parse-oracle.mjs (see there):
//   NAME<TAB>accept<TAB>AST   or   NAME<TAB>reject<TAB>L:C<TAB>"message"
//
//   graphql_parse_check FILE_OR_DIR...   (directories: their *.graphql files, by name)
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "graphql/ast_dump.hpp"
#include "graphql/parser.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> list_inputs(int argc, char** argv) {
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg(argv[i]);
    if (!fs::is_directory(arg)) {
      files.push_back(arg);
      continue;
    }
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator(arg)) {
      if (entry.path().extension() == ".graphql") found.push_back(entry.path());
    }
    std::sort(found.begin(), found.end(), [](const fs::path& a, const fs::path& b) {
      return a.filename().string() < b.filename().string();
    });
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  int status = 0;
  for (const fs::path& file : list_inputs(argc, argv)) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::cerr << "cannot read " << file << "\n";
      status = 2;
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    const std::string source = text.str();
    const auto document = herald::graphql::parse(source);
    std::cout << file.filename().string() << '\t';
    if (document) {
      std::cout << "accept\t" << herald::graphql::dump(*document) << '\n';
    } else {
      const auto& error = document.error();
      std::cout << "reject\t" << error.location.line << ':' << error.location.column << '\t'
                << herald::graphql::json_quote(error.message) << '\n';
    }
  }
  return status;
}
