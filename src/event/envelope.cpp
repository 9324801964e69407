#include "event/envelope.hpp"

#include <algorithm>

#include "capture/exact_json.hpp"

namespace herald::event {
namespace {

using json = nlohmann::json;

bool is_column(const capture::Relation& relation, const std::string& name) {
  return std::any_of(relation.columns.begin(), relation.columns.end(),
                     [&](const capture::Column& c) { return c.name == name; });
}

// A row as a JSON object: its columns in the table's order (a json object alone would sort
// them by name), so that an event reads like the table it came from.
void append_row(const json& value, const capture::Relation* relation, std::string& out) {
  if (relation == nullptr || !value.is_object()) {
    capture::append_json(value, out);
    return;
  }
  out += '{';
  std::size_t written = 0;
  auto write = [&](const std::string& column, const json& v) {
    if (written++ > 0) out += ',';
    capture::append_json_string(column, out);
    out += ':';
    capture::append_json(v, out);
  };
  for (const auto& column : relation->columns) {
    if (auto it = value.find(column.name); it != value.end()) write(column.name, *it);
  }
  if (written < value.size()) {  // a key the relation does not list: never dropped
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (!is_column(*relation, it.key())) write(it.key(), it.value());
    }
  }
  out += '}';
}

// Builds a JSON object as text, fields in the order written (SPEC order), so that
// events read naturally; values are serialised with herald's exact-number encoder,
// straight into the one buffer (no string per field: this runs for every event).
class ObjectWriter {
 public:
  ObjectWriter() {
    out_.reserve(512);
    out_ += '{';
  }

  ObjectWriter& field(std::string_view name, const json& value) {
    capture::append_json(value, key(name));
    return *this;
  }
  // A row (or a composite key) in the table's column order.
  ObjectWriter& row(std::string_view name, const json& value, const capture::Relation* relation) {
    append_row(value, relation, key(name));
    return *this;
  }
  ObjectWriter& text(std::string_view name, std::string_view value) {
    capture::append_json_string(value, key(name));
    return *this;
  }
  ObjectWriter& raw(std::string_view name, std::string_view json_text) {
    key(name) += json_text;
    return *this;
  }
  std::string finish() {
    out_ += '}';
    return std::move(out_);
  }

 private:
  std::string& key(std::string_view name) {
    if (out_.size() > 1) out_ += ',';
    out_ += '"';
    out_ += name;  // field names are fixed ASCII identifiers
    out_ += "\":";
    return out_;
  }

  std::string out_;
};

json changed_array(const Event& e) {
  json out = json::array();
  for (const auto& c : e.changed) out.push_back(c);
  return out;
}

json table_value(const Event& e) {
  return e.table.empty() ? json(nullptr) : json(e.table);
}

std::string fraiseql_envelope(const Event& e) {
  return ObjectWriter()
      .text("id", e.id)
      .text("event", e.subject)
      .text("entity_type", e.entity_type)
      .text("operation", e.operation)
      .row("entity_id", e.entity_id, e.relation.get())
      .row("entity", e.entity, e.relation.get())
      .row("old", e.old, e.relation.get())
      .field("changed", changed_array(e))
      .field("table", table_value(e))
      .text("timestamp", capture::format_rfc3339_utc(e.timestamp))
      .field("txid", e.txid)
      .text("lsn", capture::format_lsn(e.lsn))
      .finish();
}

std::string entity_id_text(const Event& e) {
  if (e.entity_id.is_string()) return e.entity_id.get<std::string>();
  std::string text;
  append_row(e.entity_id, e.relation.get(), text);
  return text;
}

std::string cloudevents_envelope(const Event& e) {
  std::string data = ObjectWriter()
                         .field("entity_type", e.entity_type)
                         .field("operation", e.operation)
                         .row("entity_id", e.entity_id, e.relation.get())
                         .row("entity", e.entity, e.relation.get())
                         .row("old", e.old, e.relation.get())
                         .field("changed", changed_array(e))
                         .field("table", table_value(e))
                         .field("txid", e.txid)
                         .field("lsn", capture::format_lsn(e.lsn))
                         .finish();
  std::string source = e.table.empty() ? "/herald/mutation/" + e.operation : "/herald/" + e.table;
  return ObjectWriter()
      .field("specversion", "1.0")
      .field("id", e.id)
      .field("source", source)
      .field("type", e.subject)
      .field("subject", entity_id_text(e))
      .field("time", capture::format_rfc3339_utc(e.timestamp))
      .field("datacontenttype", "application/json")
      .raw("data", data)
      .finish();
}

}  // namespace

std::string encode(const Event& event, config::Format format) {
  return format == config::Format::CloudEvents ? cloudevents_envelope(event)
                                               : fraiseql_envelope(event);
}

}  // namespace herald::event
