#include "cli/routing_builder.hpp"

#include <fmt/format.h>

#include <regex>

namespace herald::cli {
namespace {

std::string url_origin(const std::string& url) {
  static const std::regex origin(R"(^([a-zA-Z][a-zA-Z0-9+.-]*://)(?:[^@/]*@)?([^/?#]*))");
  std::smatch m;
  if (std::regex_search(url, m, origin)) return m[1].str() + m[2].str();
  return "(url)";
}

Result<dispatch::Target> make_target(const config::Observers& obs, SinkSet& sinks,
                                     const std::string& rule, int index,
                                     const config::Action* action) {
  auto sink = sinks.for_action(action);
  if (!sink) return Error{fmt::format("rule {}: {}", rule, sink.error().message)};
  dispatch::Target t;
  t.sink = *sink;
  t.rule = rule;
  t.action = index;
  t.label = target_label(obs, action);
  t.retry = action != nullptr ? action->retry : obs.retry;
  t.holds_wal_on_failure = action == nullptr || action->type != config::ActionType::Webhook;
  if (action != nullptr && action->subject) t.destination = *action->subject;
  return t;
}

}  // namespace

std::string target_label(const config::Observers& obs, const config::Action* action) {
  auto type = action != nullptr                       ? action->type
              : obs.backend == config::Backend::Redis ? config::ActionType::Redis
                                                      : config::ActionType::Nats;
  switch (type) {
    case config::ActionType::Nats:
      return "nats";
    case config::ActionType::Redis:
      return obs.redis_mode == config::RedisMode::Stream ? "redis stream" : "redis pubsub";
    case config::ActionType::Webhook:
      return "webhook " +
             (action != nullptr && action->url ? url_origin(action->url->value) : "(no url)");
  }
  return "";
}

Result<BuiltRouting> build_routing(const config::Observers& obs, SinkSet& sinks) {
  BuiltRouting built;
  for (const auto& rule : obs.rules) {
    std::vector<dispatch::Target> targets;
    if (rule.actions.empty()) {
      auto t = make_target(obs, sinks, rule.name, -1, nullptr);
      if (!t) return t.error();
      targets.push_back(std::move(*t));
    }
    for (std::size_t i = 0; i < rule.actions.size(); ++i) {
      const config::Action& a = rule.actions[i];
      auto t = make_target(obs, sinks, rule.name, static_cast<int>(i), &a);
      if (!t) return t.error();
      if (a.type == config::ActionType::Webhook)
        built.webhook_actions[{rule.name, static_cast<int>(i)}] = &a;
      targets.push_back(std::move(*t));
    }
    built.routing.rule_targets.push_back(std::move(targets));
  }
  for (const auto& p : obs.publish) {
    auto t = make_target(obs, sinks, "publish:" + p.mutation, -1, nullptr);
    if (!t) return t.error();
    built.routing.publish_targets.push_back({std::move(*t)});
  }
  return built;
}

}  // namespace herald::cli
