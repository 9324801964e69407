#include "server/http.hpp"

#include <nlohmann/json.hpp>

namespace herald::server {

Response make_response(http::status status, std::string_view content_type, std::string body) {
  Response response{status, 11};
  response.set(http::field::server, "herald");
  response.set(http::field::content_type, to_beast(content_type));
  response.body() = std::move(body);
  return response;
}

Response make_json_error(http::status status, std::string_view message) {
  nlohmann::json body = {{"errors", nlohmann::json::array({{{"message", message}}})}};
  return make_response(status, "application/json; charset=utf-8", body.dump());
}

std::string_view target_path(std::string_view target) {
  return target.substr(0, target.find('?'));
}

}  // namespace herald::server
