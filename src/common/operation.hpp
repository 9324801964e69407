#pragma once
// The kind of row change, shared by the configuration (which changes a rule observes) and
// capture (which change PostgreSQL sent), and the word an event uses for it.

namespace herald {

enum class Operation { Insert, Update, Delete };

// "created", "updated", "deleted": the event's `operation` and its default subject's
// last token.
constexpr const char* operation_name(Operation op) {
  switch (op) {
    case Operation::Insert:
      return "created";
    case Operation::Update:
      return "updated";
    case Operation::Delete:
      return "deleted";
  }
  return "";
}

}  // namespace herald
