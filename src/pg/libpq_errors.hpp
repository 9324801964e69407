#pragma once
// Conversion of libpq failures into pg::Error at the wrapper boundary. Internal to
// the pg module: callers above it never see libpq types.

#include <libpq-fe.h>

#include <string_view>

#include "pg/error.hpp"

namespace herald::pg::detail {

// An error result from the server (or from libpq on the server's behalf). `context`
// says what herald was doing ("exec SELECT ...", "START_REPLICATION ...").
Error error_from_result(const PGresult* result, const PGconn* conn, std::string_view context);

// A failure reported on the connection itself (PQerrorMessage), e.g. a failed send.
Error error_from_connection(const PGconn* conn, std::string_view context);

// libpq messages end in newlines and sometimes carry several lines; keep one line.
std::string tidy_libpq_message(std::string_view message);

}  // namespace herald::pg::detail
