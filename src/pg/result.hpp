#pragma once
// pg::Result<T>: herald's Result with a PostgreSQL-aware error. Callers that only need
// the text read `error().message`, exactly as with herald::Result; callers that must
// tell failures apart (42883 undefined_function vs 55000, a lost connection vs a
// server error) read the SQLSTATE and the kind. Converts to herald::Result<T> so code
// above this module can pass it on unchanged.

#include "common/result.hpp"
#include "pg/error.hpp"

namespace herald::pg {

template <typename T>
using Result = BasicResult<T, Error>;

}  // namespace herald::pg
