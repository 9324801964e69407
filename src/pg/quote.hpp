#pragma once
// SQL quoting for the few places herald must splice names and values into SQL text
// (DDL in `herald setup`, replication commands, which take no bind parameters).
// Everything else goes through exec_params.

#include <string>
#include <string_view>

namespace herald::pg {

// An identifier as PostgreSQL's quote_ident() writes it: bare when it is all
// lowercase ASCII letters, digits and underscores, does not start with a digit and is
// not a reserved (non-"unreserved") keyword; otherwise double-quoted with inner
// quotes doubled. Case is preserved: quote_ident("Order") == "\"Order\"".
std::string quote_ident(std::string_view identifier);

// A string literal for a server with standard_conforming_strings = on (the default
// since PostgreSQL 9.1, and the only setting herald supports): single quotes doubled,
// backslashes left alone. NUL cannot appear in PostgreSQL text; SQL containing one is
// rejected by Connection::exec before it reaches the server.
std::string quote_literal(std::string_view value);

// "schema"."table" with each part quoted as needed: qualified_name("public", "tb_order")
// == "public.tb_order".
std::string qualified_name(std::string_view schema, std::string_view table);

// True when `word` is a keyword that quote_ident must quote (PostgreSQL 15's reserved,
// column-name and type/function-name keywords). Lowercase input expected.
bool is_quoted_keyword(std::string_view word);

}  // namespace herald::pg
