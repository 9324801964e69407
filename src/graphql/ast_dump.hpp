#pragma once
// A canonical one-line rendering of a Document, node by node, in the format of
// tools/node/graphql-parse-oracle.mjs: (Kind@line:col key=value ...) with graphql-js's
// node kinds and field names, keys sorted, absent fields and empty lists omitted. Two
// parsers agree on a document exactly when their dumps are equal; tests also use it to
// compare documents structurally (without locations).

#include <string>

#include "graphql/ast.hpp"

namespace herald::graphql {

struct DumpOptions {
  bool locations = true;
};

std::string dump(const Document& document, const DumpOptions& options = {});

// A string as JavaScript's JSON.stringify writes it.
std::string json_quote(std::string_view text);

}  // namespace herald::graphql
