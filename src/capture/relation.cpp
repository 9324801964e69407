#include "capture/relation.hpp"

#include <utility>

namespace herald::capture {

std::vector<std::string> Relation::key_columns() const {
  std::vector<std::string> keys;
  for (const Column& column : columns) {
    if (column.key) keys.push_back(column.name);
  }
  return keys;
}

void RelationCache::replace(Relation relation) {
  const RelationOid oid = relation.oid;
  relations_.insert_or_assign(oid, std::make_shared<const Relation>(std::move(relation)));
}

std::shared_ptr<const Relation> RelationCache::find(RelationOid oid) const {
  auto it = relations_.find(oid);
  return it == relations_.end() ? nullptr : it->second;
}

}  // namespace herald::capture
