#include "cli/support_delivery.hpp"

#include <curl/curl.h>

#include <fstream>
#include <regex>
#include <sstream>

#include <fmt/format.h>

#include "support/shared_servers.hpp"

namespace herald::testing {

std::string Retry::toml() const {
  return fmt::format(
      "[observers.actions.retry]\nmax_attempts = {}\ninitial_delay_ms = {}\nmax_delay_ms = "
      "{}\nbackoff = \"{}\"\n",
      max_attempts, initial_delay_ms, max_delay_ms, backoff);
}

std::string webhook_rule(const std::string& table, const std::string& url, const Retry& retry,
                         const std::string& action_keys) {
  return fmt::format(
      "[[observers]]\ntable = \"{}\"\nevent = [\"INSERT\", \"UPDATE\"]\n\n"
      "[[observers.actions]]\ntype = \"webhook\"\nurl = \"{}\"\n{}\n{}\n",
      table, url, action_keys, retry.toml());
}

void DeliveryTest::write_config(const std::string& sections, const std::string& backend,
                                const std::string& observer_keys) {
  std::string text = sections;
  for (auto at = text.find("$PREFIX"); at != std::string::npos; at = text.find("$PREFIX", at)) {
    text.replace(at, 7, names_.prefix);
  }
  auto& servers = SharedServers::get();
  const std::string nats_url = backend == "nats" ? servers.nats().url() : "nats://127.0.0.1:1";
  const bool uses_redis = backend == "redis" || text.find("\"redis\"") != std::string::npos;
  const std::string redis_url = redis_url_   ? *redis_url_
                                : uses_redis ? servers.redis().url()
                                             : "redis://127.0.0.1:1";
  config_text_ = fmt::format(
      "[database]\nurl = \"{}\"\n\n[observers]\nbackend = \"{}\"\nnats_url = \"{}\"\n"
      "redis_url = \"{}\"\nslot = \"{}\"\npublication = \"{}\"\nstream = \"{}\"\n"
      "subject_prefix = \"{}\"\n{}\n\n{}",
      db_.url(), backend, nats_url, redis_url, names_.slot, names_.publication, names_.stream,
      names_.prefix, observer_keys, text);
  std::ofstream(config_path_, std::ios::trunc) << config_text_;
}

void DeliveryTest::start_herald(const std::string& sections, const std::string& backend,
                                const std::string& observer_keys) {
  write_config(sections, backend, observer_keys);
  herald_.emplace(config_path_);
  ASSERT_TRUE(herald_->start()) << "config:\n" << config_text_;
}

CommandResult DeliveryTest::herald_command(std::vector<std::string> args) {
  args.push_back("-c");
  args.push_back(config_path_.string());
  return run_herald(args);
}

nlohmann::json DeliveryTest::dead_letters() {
  const auto listed = herald_command({"dlq", "list", "--json"});
  EXPECT_TRUE(listed.status.exited_with(0)) << listed.status << "\n" << listed.output;
  auto parsed = nlohmann::json::parse(listed.output, nullptr, false);
  EXPECT_TRUE(parsed.is_array()) << listed.output;
  return parsed.is_array() ? parsed : nlohmann::json::array();
}

long long DeliveryTest::retry_rows() {
  return std::stoll(db_.scalar("SELECT count(*) FROM herald.retries").value_or("-1"));
}

long long DeliveryTest::dead_letter_rows() {
  return std::stoll(db_.scalar("SELECT count(*) FROM herald.dead_letters").value_or("-1"));
}

std::string DeliveryTest::herald_log() const {
  return herald_ ? herald_->log_tail(80) : std::string("(herald not started)");
}

nlohmann::json body_of(const ReceivedRequest& request) {
  return nlohmann::json::parse(request.body, nullptr, false);
}

std::vector<ReceivedRequest> delivered(const std::vector<ReceivedRequest>& requests) {
  std::vector<ReceivedRequest> out;
  for (const auto& r : requests) {
    if (r.answered >= 200 && r.answered < 300) out.push_back(r);
  }
  return out;
}

std::vector<long long> gaps_ms(const std::vector<ReceivedRequest>& requests) {
  std::vector<long long> gaps;
  for (std::size_t i = 1; i < requests.size(); ++i) {
    gaps.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(
                       requests[i].received_at - requests[i - 1].received_at)
                       .count());
  }
  return gaps;
}

std::string describe(const std::vector<ReceivedRequest>& requests) {
  std::ostringstream out;
  const auto start =
      requests.empty() ? std::chrono::steady_clock::time_point{} : requests.front().received_at;
  for (const auto& r : requests) {
    out << "+"
        << std::chrono::duration_cast<std::chrono::milliseconds>(r.received_at - start).count()
        << "ms " << r.answered << " " << r.header("webhook-id") << " " << r.body.substr(0, 160)
        << "\n";
  }
  return out.str();
}

namespace {

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

}  // namespace

HttpAnswer http_get(std::uint16_t port, const std::string& target) {
  HttpAnswer answer;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) return answer;
  const std::string url = fmt::format("http://127.0.0.1:{}{}", port, target);
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &append_body);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &answer.body);
  if (curl_easy_perform(curl.get()) == CURLE_OK) {
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &answer.status);
  }
  return answer;
}

std::optional<double> metric_value(const std::string& page, const std::string& name,
                                   const std::vector<std::pair<std::string, std::string>>& labels) {
  std::optional<double> sum;
  std::istringstream lines(page);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(name, 0) != 0) continue;
    const std::size_t after = name.size();
    if (after >= line.size() || (line[after] != '{' && line[after] != ' ')) continue;
    const std::string label_text =
        line[after] == '{' ? line.substr(after, line.find('}') - after) : std::string();
    bool all = true;
    for (const auto& [key, value] : labels) {
      all &= label_text.find(fmt::format("{}=\"{}\"", key, value)) != std::string::npos;
    }
    if (!all) continue;
    sum = sum.value_or(0.0) + std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

}  // namespace herald::testing
