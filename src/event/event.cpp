#include "event/event.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include "capture/exact_json.hpp"

namespace herald::event {

std::string make_event_id(capture::Lsn commit_lsn, std::uint32_t position) {
  return fmt::format(FMT_COMPILE("{:016X}-{:04X}"), commit_lsn, position);
}

std::string entity_name(const std::string& table) {
  return table.rfind("tb_", 0) == 0 && table.size() > 3 ? table.substr(3) : table;
}

std::string Event::ordering_key() const {
  // The table (or entity type) keeps equal ids of different tables apart.
  const std::string& scope = table.empty() ? entity_type : table;
  return scope + "/" + capture::dump_json(entity_id);
}

}  // namespace herald::event
