#include "cli/check_command.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "cli/app.hpp"
#include "cli/describe.hpp"
#include "config/loader.hpp"

namespace herald::cli {

int check_command(const std::string& config_path) {
  config::LoadResult loaded = config::load_file(config_path);
  if (!loaded.errors.empty()) {
    for (const auto& e : loaded.errors) fmt::print(stderr, "{}\n", e.to_string());
    fmt::print(stderr, "{}: {} error{}\n", config_path, loaded.errors.size(),
               loaded.errors.size() == 1 ? "" : "s");
    return kBadInput;
  }
  fmt::print("{}: ok\n\n{}", config_path, describe(*loaded.config));
  return kOk;
}

}  // namespace herald::cli
