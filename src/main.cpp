#include "cli/app.hpp"

int main(int argc, char** argv) {
  return herald::cli::run(argc, argv);
}
