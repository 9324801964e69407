#pragma once
// Relations as pgoutput describes them, and the cache that follows schema changes.

#include "capture/type_oids.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace herald::capture {

using RelationOid = std::uint32_t;

enum class ReplicaIdentity { Default, Nothing, Full, Index };

struct Column {
  std::string name;
  TypeOid type = 0;
  std::int32_t type_modifier = -1;
  // Part of the replica identity. Note: under REPLICA IDENTITY FULL PostgreSQL flags
  // *every* column, so this is the primary key only for DEFAULT/INDEX identities.
  bool key = false;
};

struct Relation {
  RelationOid oid = 0;
  std::string schema;  // "public"; pgoutput's empty namespace means pg_catalog
  std::string name;
  ReplicaIdentity replica_identity = ReplicaIdentity::Default;
  std::vector<Column> columns;

  std::string qualified_name() const { return schema + "." + name; }
  std::vector<std::string> key_columns() const;
};

// Emitted Changes share their Relation: a schema change installs a new immutable snapshot
// and leaves the one that earlier (perhaps still queued) Changes point at untouched.
class RelationCache {
 public:
  void replace(Relation relation);
  std::shared_ptr<const Relation> find(RelationOid oid) const;
  std::size_t size() const { return relations_.size(); }

 private:
  std::unordered_map<RelationOid, std::shared_ptr<const Relation>> relations_;
};

}  // namespace herald::capture
