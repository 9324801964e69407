#pragma once
// The request/response types every route sees, and the shape of a route handler.
// A handler may answer later and from any thread (GraphQL answers from a worker):
// it calls `reply` exactly once; the session takes the response back to its strand.

#include <utility>  // before Asio/Beast in C++20 with Boost 1.74

#include <functional>
#include <string>
#include <string_view>

#include <boost/beast/core/string_type.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace herald::server {

namespace http = boost::beast::http;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
using Reply = std::function<void(Response)>;
using Handler = std::function<void(Request, Reply)>;

// Beast 1.74 speaks boost::string_view; herald speaks std::string_view.
inline std::string_view to_std(boost::beast::string_view text) {
  return {text.data(), text.size()};
}
inline boost::beast::string_view to_beast(std::string_view text) {
  return {text.data(), text.size()};
}

// A response with a body and Content-Type; version and keep-alive are set by the session.
Response make_response(http::status status, std::string_view content_type, std::string body);

// {"errors":[{"message": message}]} as application/json, for failures outside GraphQL
// execution (timeouts, overload) that GraphQL clients can still read.
Response make_json_error(http::status status, std::string_view message);

// The target's path without the query string: "/graphql?query=x" -> "/graphql".
std::string_view target_path(std::string_view target);

}  // namespace herald::server
