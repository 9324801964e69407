#pragma once
// Where the `herald` executable under test is, for tests that run it as a ChildProcess.
// A test target that uses this should also `add_dependencies(<test> herald)` so the binary
// is built first.

#include <filesystem>

namespace herald::testing {

// $HERALD_BINARY when set, else the `herald` target this build produces. Throws
// std::runtime_error when neither names an existing file (e.g. cli is not among the
// HERALD_MODULES being built).
std::filesystem::path herald_binary();

}  // namespace herald::testing
