#pragma once
// Routes by exact path and method: 404 for an unknown path, 405 with Allow for a known
// path asked with another method.

#include <map>
#include <string>
#include <vector>

#include "server/http.hpp"

namespace herald::server {

class Router {
 public:
  // Later calls for the same path add methods to it.
  void add(const std::string& path, std::vector<http::verb> methods, Handler handler);

  void dispatch(Request request, Reply reply) const;

 private:
  struct Route {
    std::vector<http::verb> methods;
    Handler handler;
  };
  std::map<std::string, std::vector<Route>, std::less<>> routes_;
};

}  // namespace herald::server
