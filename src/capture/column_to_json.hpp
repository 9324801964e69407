#pragma once
// Column text (pgoutput 't' values, the type's output function) -> JSON, by type OID.
//
//   bool                      -> true / false
//   int2 int4 int8 oid        -> JSON integers (int8 fits int64, oid is unsigned)
//   float4 float8             -> JSON numbers; NaN, Infinity, -Infinity -> strings
//   numeric                   -> JSON numbers with every digit kept (see exact_json.hpp);
//                                NaN, Infinity, -Infinity -> strings
//   json jsonb                -> the parsed JSON, numbers kept exact
//   bytea                     -> base64 (standard alphabet, padded) of the bytes, from the
//                                hex ("\x..") or escape output format
//   timestamptz, timestamp    -> RFC 3339 (see pg_time.hpp)
//   arrays of all of these    -> JSON arrays (nested for more dimensions, NULL -> null)
//   everything else           -> the text as a string: money, text, varchar, bpchar (with
//                                its padding), name, char, uuid, date, time, timetz,
//                                interval, inet, cidr, macaddr, xml, bit, varbit, enums,
//                                composites, ranges and unknown user types.
// Text that does not parse as its type claims (impossible from a real server, possible in
// a damaged message) is passed on as a string, never dropped. Strings are always valid
// UTF-8 (utf8.hpp).

#include "capture/type_catalog.hpp"
#include "capture/type_oids.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace herald::capture {

// `catalog` (optional) resolves domains and taught array types first.
nlohmann::json column_to_json(TypeOid type, std::string_view text,
                              const TypeCatalog* catalog = nullptr);

// Helpers exposed for their own tests.
std::string base64_encode(std::string_view bytes);

}  // namespace herald::capture
