#include "server/graphql_request.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

#include <fmt/format.h>

namespace herald::server {

namespace {

using json = nlohmann::ordered_json;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// "type/subtype; a=b; q=0.5" -> the lowered type and its parameters.
struct MediaRange {
  std::string type;
  std::map<std::string, std::string> params;
};

MediaRange parse_media_range(std::string_view text) {
  MediaRange range;
  auto semi = text.find(';');
  range.type = lower(trim(text.substr(0, semi)));
  while (semi != std::string_view::npos) {
    text.remove_prefix(semi + 1);
    semi = text.find(';');
    auto param = trim(text.substr(0, semi));
    auto eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    auto value = trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    range.params[lower(trim(param.substr(0, eq)))] = lower(value);
  }
  return range;
}

double quality(const MediaRange& range) {
  auto q = range.params.find("q");
  if (q == range.params.end()) return 1.0;
  try {
    return std::stod(q->second);
  } catch (const std::exception&) {
    return 0.0;
  }
}

bool charset_ok(const MediaRange& range) {
  auto charset = range.params.find("charset");
  return charset == range.params.end() || charset->second == "utf-8" || charset->second == "utf8";
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Response bad_request(GraphQLMediaType media, std::string_view message) {
  return graphql_error_response(http::status::bad_request, media, message);
}

// Validates one decoded JSON parameter set (from a POST body or a GET query string).
std::variant<GraphQLParams, Response> params_from_json(const json& body, GraphQLMediaType media) {
  if (!body.is_object()) return bad_request(media, "the request body must be a JSON object");
  GraphQLParams params;
  auto query = body.find("query");
  if (query == body.end() || query->is_null()) {
    return bad_request(media, "the 'query' parameter is missing");
  }
  if (!query->is_string()) return bad_request(media, "the 'query' parameter must be a string");
  params.query = query->get<std::string>();
  auto name = body.find("operationName");
  if (name != body.end() && !name->is_null()) {
    if (!name->is_string()) {
      return bad_request(media, "the 'operationName' parameter must be a string");
    }
    params.operation_name = name->get<std::string>();
  }
  for (auto [key, target] :
       {std::pair{"variables", &params.variables}, std::pair{"extensions", &params.extensions}}) {
    auto value = body.find(key);
    if (value == body.end() || value->is_null()) continue;
    if (!value->is_object()) {
      return bad_request(media, fmt::format("the '{}' parameter must be a JSON object", key));
    }
    *target = *value;
  }
  return params;
}

std::variant<GraphQLParams, Response> params_from_post(const Request& request,
                                                       GraphQLMediaType media) {
  std::string_view content_type = to_std(request[http::field::content_type]);
  auto range = parse_media_range(content_type);
  if (range.type != "application/json" || !charset_ok(range)) {
    auto response = graphql_error_response(
        http::status::unsupported_media_type, media,
        content_type.empty()
            ? std::string("a POST needs Content-Type: application/json")
            : fmt::format("Content-Type '{}' is not supported; use application/json",
                          content_type));
    response.set(http::field::accept_post, "application/json");
    return response;
  }
  json body = json::parse(request.body(), nullptr, false);
  if (body.is_discarded()) return bad_request(media, "the request body is not valid JSON");
  return params_from_json(body, media);
}

std::variant<GraphQLParams, Response> params_from_get(const Request& request,
                                                      GraphQLMediaType media) {
  std::string_view target = to_std(request.target());
  auto mark = target.find('?');
  json fields = json::object();
  std::string_view rest = mark == std::string_view::npos ? "" : target.substr(mark + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    auto pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? "" : rest.substr(amp + 1);
    auto eq = pair.find('=');
    auto key = url_decode(pair.substr(0, eq));
    auto value = url_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
    if (!key || !value) return bad_request(media, "the query string has a broken % escape");
    if (*key == "variables" || *key == "extensions") {
      json decoded = json::parse(*value, nullptr, false);
      if (decoded.is_discarded()) {
        return bad_request(media, fmt::format("the '{}' parameter is not valid JSON", *key));
      }
      fields[*key] = std::move(decoded);
    } else if (*key == "query" || *key == "operationName") {
      fields[*key] = *value;
    }
  }
  return params_from_json(fields, media);
}

}  // namespace

std::optional<GraphQLMediaType> negotiate_graphql_media(std::string_view accept) {
  if (trim(accept).empty()) return GraphQLMediaType::json;
  std::optional<GraphQLMediaType> best;
  double best_q = 0.0;
  while (true) {
    auto comma = accept.find(',');
    auto range = parse_media_range(accept.substr(0, comma));
    double q = quality(range);
    std::optional<GraphQLMediaType> candidate;
    if (range.type == "application/graphql-response+json") {
      candidate = GraphQLMediaType::graphql_response_json;
    } else if (range.type == "application/json" || range.type == "application/*" ||
               range.type == "*/*") {
      candidate = GraphQLMediaType::json;
    }
    if (candidate && charset_ok(range) && q > 0.0 &&
        (q > best_q || (q == best_q && candidate == GraphQLMediaType::graphql_response_json))) {
      best = candidate;
      best_q = q;
    }
    if (comma == std::string_view::npos) break;
    accept.remove_prefix(comma + 1);
  }
  return best;
}

std::string_view content_type_of(GraphQLMediaType media) {
  return media == GraphQLMediaType::graphql_response_json
             ? "application/graphql-response+json; charset=utf-8"
             : "application/json; charset=utf-8";
}

Response graphql_error_response(http::status status, GraphQLMediaType media,
                                std::string_view message) {
  json body = {{"errors", json::array({{{"message", message}}})}};
  return make_response(status, content_type_of(media), body.dump());
}

std::variant<GraphQLParams, Response> read_graphql_params(const Request& request,
                                                          GraphQLMediaType media) {
  if (request.method() == http::verb::post) return params_from_post(request, media);
  return params_from_get(request, media);
}

std::optional<std::string> url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int high = hex_digit(text[i + 1]);
      int low = hex_digit(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace herald::server
