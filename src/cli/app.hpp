#pragma once

namespace herald::cli {

// Exit codes of every herald command (SPEC section 7).
enum ExitCode : int {
  kOk = 0,
  kBadInput = 1,     // config, arguments
  kUnreachable = 2,  // a dependency (database, broker) cannot be reached
  kInternalError = 3,
};

// Parses the command line and runs the chosen subcommand; returns the exit code.
int run(int argc, char** argv);

}  // namespace herald::cli
