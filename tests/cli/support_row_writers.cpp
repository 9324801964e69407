#include "cli/support_row_writers.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "cli/support_pg_session.hpp"

namespace herald::testing {
namespace {

// How long a writer keeps retrying one row while the server is away.
constexpr auto kRideOut = std::chrono::seconds(60);

}  // namespace

RowWriters::RowWriters(std::string url, std::string table, int rows, int threads)
    : url_(std::move(url)), table_(std::move(table)), rows_(rows), threads_count_(threads) {
  for (int t = 0; t < threads; ++t) threads_.emplace_back([this, t] { write(t); });
}

RowWriters::~RowWriters() {
  join();
}

std::vector<std::string> RowWriters::join() {
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  const std::lock_guard guard(errors_mutex_);
  return errors_;
}

void RowWriters::write(int thread) {
  std::optional<PgSession> session;
  for (int id = thread + 1; id <= rows_; id += threads_count_) {
    const std::string sql =
        fmt::format("INSERT INTO {} (id, writer) VALUES ({}, {}) ON CONFLICT (id) DO NOTHING",
                    table_, id, thread);
    const auto give_up = std::chrono::steady_clock::now() + kRideOut;
    std::string last_error;
    bool written = false;
    while (!written && std::chrono::steady_clock::now() < give_up) {
      if (!session || !session->connected()) {
        try {
          session.emplace(url_);
        } catch (const std::exception& e) {
          last_error = e.what();
          session.reset();
          ++retries_;
          // The server is restarting: try again shortly.
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          continue;
        }
      }
      if (auto error = session->try_exec(sql)) {
        last_error = *error;
        ++retries_;
        session.reset();  // e.g. "terminating connection": start over on a new one
        continue;
      }
      written = true;
    }
    if (!written) {
      const std::lock_guard guard(errors_mutex_);
      errors_.push_back(fmt::format("writer {} gave up on row {}: {}", thread, id, last_error));
      return;
    }
    ++done_;
  }
}

::testing::AssertionResult holds_each_row_once(const std::vector<StreamMessage>& messages,
                                               int rows) {
  std::map<long long, int> per_id;
  std::set<std::string> msg_ids;
  std::vector<std::string> repeated_msg_ids;
  int not_json = 0;
  for (const auto& m : messages) {
    if (!m.body.is_object() || !m.body["entity"]["id"].is_number_integer()) {
      ++not_json;
      continue;
    }
    ++per_id[m.body["entity"]["id"].get<long long>()];
    if (!msg_ids.insert(m.msg_id).second || m.msg_id != m.body["id"]) {
      repeated_msg_ids.push_back(m.msg_id);
    }
  }
  std::vector<long long> missing;
  std::vector<std::string> twice;
  for (long long id = 1; id <= rows; ++id) {
    auto it = per_id.find(id);
    if (it == per_id.end()) {
      missing.push_back(id);
    } else if (it->second > 1) {
      twice.push_back(fmt::format("{} ({}x)", id, it->second));
    }
  }
  const bool ok = messages.size() == static_cast<std::size_t>(rows) && missing.empty() &&
                  twice.empty() && repeated_msg_ids.empty() && not_json == 0 &&
                  per_id.size() == static_cast<std::size_t>(rows);
  if (ok) return ::testing::AssertionSuccess();
  auto head = [](const auto& list) {
    std::string out;
    for (std::size_t i = 0; i < list.size() && i < 20; ++i) out += fmt::format("{} ", list[i]);
    return out + (list.size() > 20 ? "..." : "");
  };
  return ::testing::AssertionFailure()
         << messages.size() << " messages for " << rows << " rows; " << missing.size()
         << " rows missing [" << head(missing) << "], " << twice.size() << " rows repeated ["
         << head(twice) << "], " << repeated_msg_ids.size() << " repeated or wrong Nats-Msg-Ids ["
         << head(repeated_msg_ids) << "], " << not_json << " messages not events, "
         << (per_id.size() > static_cast<std::size_t>(rows) ? "ids out of range" : "");
}

::testing::AssertionResult in_commit_order(const std::vector<StreamMessage>& messages) {
  for (std::size_t i = 1; i < messages.size(); ++i) {
    if (!(messages[i - 1].msg_id < messages[i].msg_id)) {
      return ::testing::AssertionFailure()
             << "out of commit order: stream #" << messages[i - 1].sequence << " is "
             << messages[i - 1].msg_id << ", then #" << messages[i].sequence << " is "
             << messages[i].msg_id << " (committed earlier, stored later)";
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace herald::testing
