#pragma once
// The error every pg function returns. It is a herald::Error (its `message` is the
// whole story for a human: what herald tried, where, and what PostgreSQL said, never a
// password), plus the fields PostgreSQL reports so callers can branch on them.

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace herald::pg {

enum class ErrorKind {
  Server,      // the server answered with an error; sqlstate is set
  Connection,  // could not connect, or the connection is gone (reconnect may help)
  Protocol,    // the server sent something this client did not expect
  Usage,       // the caller asked for something invalid (bad slot name, NUL in SQL, ...)
};

struct Error : herald::Error {
  ErrorKind kind = ErrorKind::Server;
  std::string sqlstate;  // five characters when the server sent one, else empty
  std::string primary;   // PostgreSQL's primary message (or libpq's, for a lost connection)
  std::string detail;
  std::string hint;

  bool has_sqlstate(std::string_view code) const { return sqlstate == code; }
  bool connection_lost() const { return kind == ErrorKind::Connection; }
};

Error make_usage_error(std::string message);
Error make_protocol_error(std::string message);

// SQLSTATE codes herald reacts to (PostgreSQL Appendix A).
namespace sqlstate {
inline constexpr std::string_view kUndefinedFunction = "42883";
inline constexpr std::string_view kUndefinedTable = "42P01";
inline constexpr std::string_view kUndefinedObject = "42704";
inline constexpr std::string_view kDuplicateObject = "42710";
inline constexpr std::string_view kInsufficientPrivilege = "42501";
inline constexpr std::string_view kSyntaxError = "42601";
inline constexpr std::string_view kObjectNotInPrerequisiteState = "55000";
inline constexpr std::string_view kObjectInUse = "55006";  // e.g. slot active for another PID
inline constexpr std::string_view kUniqueViolation = "23505";
inline constexpr std::string_view kRaiseException = "P0001";
inline constexpr std::string_view kAdminShutdown = "57P01";
inline constexpr std::string_view kQueryCanceled = "57014";
}  // namespace sqlstate

}  // namespace herald::pg
