#include "capture/type_catalog.hpp"

#include <utility>

namespace herald::capture {

void TypeCatalog::remember(TypeInfo info) {
  const TypeOid key = info.oid;
  types_.insert_or_assign(key, std::move(info));
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
