#pragma once
// Teaches the decoder the shape of user-defined types (domains and their arrays) from
// pg_type, so that a domain over numeric is a number in events, not a string. pgoutput's
// Type message carries only a name.

#include <optional>
#include <string>

#include "capture/type_catalog.hpp"
#include "pg/connection.hpp"

namespace herald::cli {

class CatalogTypeLookup {
 public:
  explicit CatalogTypeLookup(std::string conninfo) : conninfo_(std::move(conninfo)) {}

  // nullopt when the type is unknown or the database cannot be asked now (the value
  // then stays text; it is never guessed).
  std::optional<capture::TypeShape> operator()(capture::TypeOid type);

 private:
  std::string conninfo_;
  std::optional<pg::Connection> connection_;
};

}  // namespace herald::cli
