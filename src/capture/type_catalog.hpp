#pragma once
// What the decoder knows about non-built-in types.
//
// pgoutput sends a Type message ('Y': oid, namespace, name) before the first row that uses
// a non-built-in type. It says nothing about what the type *is*, so values of such types
// (enums, composites, ranges, domains) are passed on as strings. Whoever can read the
// catalog (pg_type.typbasetype / typelem) may teach the catalog that a domain stands for a
// base type, or that a user array type holds some element type; the converter then treats
// values accordingly (a domain over numeric becomes a JSON number).

#include "capture/type_oids.hpp"

#include <optional>
#include <string>
#include <unordered_map>

namespace herald::capture {

struct TypeInfo {
  TypeOid oid = 0;
  std::string schema;
  std::string name;
};

class TypeCatalog {
 public:
  // From a Type message; a later message for the same oid replaces the earlier one.
  void remember(TypeInfo info);
  const TypeInfo* find(TypeOid type) const;

  void set_domain_base(TypeOid domain, TypeOid base);
  void set_array_element(TypeOid array, TypeOid element);

  // `type` with domains followed to their base (cycles and very long chains stop early).
  TypeOid resolve(TypeOid type) const;
  // The element type of an array type, built-in or taught; nullopt for non-arrays.
  std::optional<TypeOid> array_element(TypeOid type) const;

 private:
  std::unordered_map<TypeOid, TypeInfo> types_;
  std::unordered_map<TypeOid, TypeOid> domain_base_;
  std::unordered_map<TypeOid, TypeOid> array_element_;
};

}  // namespace herald::capture
