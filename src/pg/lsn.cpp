#include "pg/lsn.hpp"

#include "common/lsn_text.hpp"

namespace herald::pg {

std::optional<Lsn> Lsn::parse(std::string_view text) {
  const auto value = parse_lsn(text);
  if (!value) return std::nullopt;
  return Lsn(*value);
}

std::string Lsn::to_string() const {
  return format_lsn(value_);
}

}  // namespace herald::pg
