#include "capture/type_catalog.hpp"

#include <utility>

namespace herald::capture {

void TypeCatalog::remember(TypeInfo info) {
  const TypeOid key = info.oid;
  types_.insert_or_assign(key, std::move(info));
  if (lookup_) learn_shape(key, 0);
}

void TypeCatalog::learn_shape(TypeOid type, int depth) {
  // A domain over an array of a domain over int4 is three levels; stop well after that.
  constexpr int kMaxDepth = 4;
  // OIDs below 10000 are built in (FirstGenbkiObjectId): the converter knows them.
  constexpr TypeOid kFirstUserOid = 10000;
  if (depth > kMaxDepth || type < kFirstUserOid) return;
  const std::optional<TypeShape> shape = lookup_(type);
  if (!shape) return;
  if (shape->domain_base) {
    set_domain_base(type, *shape->domain_base);
    learn_shape(*shape->domain_base, depth + 1);
  }
  if (shape->array_element) {
    set_array_element(type, *shape->array_element);
    learn_shape(*shape->array_element, depth + 1);
  }
}

const TypeInfo* TypeCatalog::find(TypeOid type) const {
  auto it = types_.find(type);
  return it == types_.end() ? nullptr : &it->second;
}

void TypeCatalog::set_domain_base(TypeOid domain, TypeOid base) {
  domain_base_.insert_or_assign(domain, base);
}

void TypeCatalog::set_array_element(TypeOid array, TypeOid element) {
  array_element_.insert_or_assign(array, element);
}

TypeOid TypeCatalog::resolve(TypeOid type) const {
  // Domains over domains are legal; a catalog taught a cycle must not hang us.
  constexpr int kMaxChain = 16;
  for (int step = 0; step < kMaxChain; ++step) {
    auto it = domain_base_.find(type);
    if (it == domain_base_.end()) break;
    type = it->second;
  }
  return type;
}

std::optional<TypeOid> TypeCatalog::array_element(TypeOid type) const {
  const TypeOid resolved = resolve(type);
  if (auto builtin = builtin_array_element(resolved)) return builtin;
  auto it = array_element_.find(resolved);
  if (it == array_element_.end()) return std::nullopt;
  return it->second;
}

}  // namespace herald::capture
