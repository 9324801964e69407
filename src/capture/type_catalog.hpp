#pragma once
// What the decoder knows about non-built-in types.
//
// pgoutput sends a Type message ('Y': oid, namespace, name) before the first row that uses
// a non-built-in type. It says nothing about what the type *is*, so values of such types
// (enums, composites, ranges, domains) are passed on as strings. Whoever can read the
// catalog (pg_type.typbasetype / typelem) may teach the catalog that a domain stands for a
// base type, or that a user array type holds some element type; the converter then treats
// values accordingly (a domain over numeric becomes a JSON number). Either teach it by
// hand (set_domain_base / set_array_element) or install a TypeLookup, which the catalog
// asks once per Type message (and for the base/element types it names, a few levels
// deep): e.g. `SELECT typbasetype, typelem, typcategory FROM pg_type WHERE oid = $1` on
// an ordinary connection. Type messages are rare (once per type per stream), so a
// synchronous query there costs nothing measurable.

#include "capture/type_oids.hpp"

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace herald::capture {

struct TypeInfo {
  TypeOid oid = 0;
  std::string schema;
  std::string name;
};

// What the catalog says a type is made of; both empty for enums, composites, ranges...
struct TypeShape {
  std::optional<TypeOid> domain_base;    // pg_type.typbasetype when typtype = 'd'
  std::optional<TypeOid> array_element;  // pg_type.typelem when typcategory = 'A'
};
// nullopt when the type is unknown or the catalog cannot be asked right now.
using TypeLookup = std::function<std::optional<TypeShape>(TypeOid)>;

class TypeCatalog {
 public:
  // From a Type message; a later message for the same oid replaces the earlier one.
  // With a lookup installed, also learns the type's shape.
  void remember(TypeInfo info);
  void set_lookup(TypeLookup lookup) { lookup_ = std::move(lookup); }
  const TypeInfo* find(TypeOid type) const;

  void set_domain_base(TypeOid domain, TypeOid base);
  void set_array_element(TypeOid array, TypeOid element);

  // `type` with domains followed to their base (cycles and very long chains stop early).
  TypeOid resolve(TypeOid type) const;
  // The element type of an array type, built-in or taught; nullopt for non-arrays.
  std::optional<TypeOid> array_element(TypeOid type) const;

 private:
  void learn_shape(TypeOid type, int depth);

  TypeLookup lookup_;
  std::unordered_map<TypeOid, TypeInfo> types_;
  std::unordered_map<TypeOid, TypeOid> domain_base_;
  std::unordered_map<TypeOid, TypeOid> array_element_;
};

}  // namespace herald::capture
