#include "cli/dlq_command.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/app.hpp"
#include "cli/run_context.hpp"
#include "dispatch/retry_store.hpp"

namespace herald::cli {
namespace {

using json = nlohmann::json;
using dispatch::DeadLetter;

// At most `width` characters on one line, for the table.
std::string clip(std::string text, std::size_t width) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (text.size() <= width) return text;
  return text.substr(0, width - 1) + "…";
}

json to_json(const DeadLetter& d, bool with_event) {
  json j = {{"id", d.id},
            {"event_id", d.event_id},
            {"rule", d.rule},
            {"action", d.action},
            {"target", d.target},
            {"destination", d.destination},
            {"attempts", d.attempts},
            {"last_error", d.last_error},
            {"first_failed_at", d.first_failed_at},
            {"dead_at", d.dead_at}};
  if (with_event) j["event"] = json::parse(d.payload, nullptr, false);
  return j;
}

void print_table(const std::vector<DeadLetter>& letters) {
  if (letters.empty()) {
    fmt::print("no dead letters\n");
    return;
  }
  fmt::print("{:>6}  {:<22}  {:<20}  {:<24}  {:>8}  {:<19}  {}\n", "ID", "EVENT", "RULE", "TARGET",
             "ATTEMPTS", "DEAD AT", "LAST ERROR");
  for (const auto& d : letters) {
    fmt::print("{:>6}  {:<22}  {:<20}  {:<24}  {:>8}  {:<19}  {}\n", d.id, clip(d.event_id, 22),
               clip(d.rule, 20), clip(d.target, 24), d.attempts, d.dead_at.substr(0, 19),
               clip(d.last_error, 60));
  }
  fmt::print(
      "{} dead letter{}; herald dlq show ID for one, herald dlq replay ID… to deliver again\n",
      letters.size(), letters.size() == 1 ? "" : "s");
}

}  // namespace

int dlq_command(const std::string& config_path, const DlqArgs& args) {
  auto loaded = load_config_and_rules(config_path);
  if (auto* code = std::get_if<int>(&loaded)) return *code;
  auto db_or = connect_database(std::get<Loaded>(loaded).config);
  if (auto* code = std::get_if<int>(&db_or)) return *code;
  dispatch::RetryStore store(std::get<pg::Connection>(db_or));

  auto fail = [](const Error& e) {
    fmt::print(stderr, "herald: {}\n", e.message);
    return kUnreachable;
  };

  switch (args.verb) {
    case DlqArgs::Verb::List: {
      auto letters = store.dead_letters(10000);
      if (!letters) return fail(letters.error());
      if (args.json) {
        json out = json::array();
        for (const auto& d : *letters) out.push_back(to_json(d, true));
        fmt::print("{}\n", out.dump(2));
      } else {
        print_table(*letters);
      }
      return kOk;
    }
    case DlqArgs::Verb::Show: {
      auto letter = store.dead_letter(args.ids.front());
      if (!letter) return fail(letter.error());
      if (!letter->has_value()) {
        fmt::print(stderr, "herald: no dead letter {}\n", args.ids.front());
        return kBadInput;
      }
      fmt::print("{}\n", to_json(**letter, true).dump(2));
      return kOk;
    }
    case DlqArgs::Verb::Replay: {
      auto replayed = args.all ? store.replay_all() : store.replay(args.ids);
      if (!replayed) return fail(replayed.error());
      fmt::print(
          "{} dead letter{} queued for delivery with a fresh retry budget; herald run delivers "
          "them\n",
          *replayed, *replayed == 1 ? "" : "s");
      if (!args.all && static_cast<std::size_t>(*replayed) < args.ids.size()) {
        fmt::print(stderr, "herald: {} of the ids given are not dead letters\n",
                   args.ids.size() - static_cast<std::size_t>(*replayed));
        return kBadInput;
      }
      return kOk;
    }
    case DlqArgs::Verb::Purge: {
      auto purged = store.purge(args.before);
      if (!purged) return fail(purged.error());
      fmt::print("purged {} dead letter{}\n", *purged, *purged == 1 ? "" : "s");
      return kOk;
    }
  }
  return kInternalError;
}

}  // namespace herald::cli
