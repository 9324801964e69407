#include "server/router.hpp"

#include <algorithm>

namespace herald::server {

void Router::add(const std::string& path, std::vector<http::verb> methods, Handler handler) {
  routes_[path].push_back(Route{std::move(methods), std::move(handler)});
}

void Router::dispatch(Request request, Reply reply) const {
  auto found = routes_.find(target_path(to_std(request.target())));
  if (found == routes_.end()) {
    reply(make_response(http::status::not_found, "text/plain; charset=utf-8", "not found\n"));
    return;
  }
  std::string allow;
  for (const auto& route : found->second) {
    for (auto method : route.methods) {
      if (method == request.method()) {
        route.handler(std::move(request), std::move(reply));
        return;
      }
      if (!allow.empty()) allow += ", ";
      allow += to_std(http::to_string(method));
    }
  }
  auto response = make_response(http::status::method_not_allowed, "text/plain; charset=utf-8",
                                "method not allowed\n");
  response.set(http::field::allow, allow);
  reply(std::move(response));
}

}  // namespace herald::server
