#include "event/envelope.hpp"

#include "capture/exact_json.hpp"

namespace herald::event {
namespace {

using json = nlohmann::json;

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
      .field("entity_id", e.entity_id)
      .field("entity", e.entity)
      .field("old", e.old)
      .field("changed", changed_array(e))
      .field("table", table_value(e))
      .text("timestamp", capture::format_rfc3339_utc(e.timestamp))
      .field("txid", e.txid)
      .text("lsn", capture::format_lsn(e.lsn))
      .finish();
}

std::string entity_id_text(const json& id) {
  if (id.is_string()) return id.get<std::string>();
  return capture::dump_json(id);
}

std::string cloudevents_envelope(const Event& e) {
  std::string data = ObjectWriter()
                         .field("entity_type", e.entity_type)
                         .field("operation", e.operation)
                         .field("entity_id", e.entity_id)
                         .field("entity", e.entity)
                         .field("old", e.old)
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
      .field("subject", entity_id_text(e.entity_id))
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
