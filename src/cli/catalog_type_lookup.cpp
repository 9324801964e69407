#include "cli/catalog_type_lookup.hpp"

#include <spdlog/spdlog.h>

namespace herald::cli {

std::optional<capture::TypeShape> CatalogTypeLookup::operator()(capture::TypeOid type) {
  // One reconnect per lookup: the database may have restarted since the last one.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!connection_ || !connection_->is_ok()) {
      auto connected = pg::Connection::connect(conninfo_);
      if (!connected) {
        spdlog::warn("cannot look up type {} in pg_type: {}", type, connected.error().message);
        return std::nullopt;
      }
      connection_.emplace(std::move(*connected));
    }
    auto rows = connection_->exec_params(
        "SELECT typtype, typbasetype, typcategory, typelem FROM pg_type WHERE oid = $1",
        {std::to_string(type)});
    if (!rows) {
      connection_.reset();
      continue;
    }
    if (rows->rows() == 0) return std::nullopt;
    capture::TypeShape shape;
    if (rows->get(0, 0) == "d")
      shape.domain_base = static_cast<capture::TypeOid>(std::stoul(std::string(rows->get(0, 1))));
    if (rows->get(0, 2) == "A")
      shape.array_element = static_cast<capture::TypeOid>(std::stoul(std::string(rows->get(0, 3))));
    return shape;
  }
  return std::nullopt;
}

}  // namespace herald::cli
