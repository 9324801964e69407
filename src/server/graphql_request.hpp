#pragma once
// The GraphQL over HTTP request layer (the spec graphql-http audits): which media type
// to answer in (Accept), and the GraphQL parameters from a POST JSON body or a GET
// query string. Pure functions over a Request, so they are tested without sockets.

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "server/http.hpp"

namespace herald::server {

enum class GraphQLMediaType { graphql_response_json, json };

// The media type to answer in, or nullopt for 406. No Accept, */*, application/* and
// application/json give application/json; the best q wins, ties to graphql-response.
std::optional<GraphQLMediaType> negotiate_graphql_media(std::string_view accept);
std::string_view content_type_of(GraphQLMediaType media);  // with "; charset=utf-8"

struct GraphQLParams {
  std::string query;
  std::string operation_name;  // empty: none given
  nlohmann::ordered_json variables = nlohmann::ordered_json::object();
  nlohmann::ordered_json extensions = nlohmann::ordered_json::object();
};

// The parameters, or the error response for a request that is not a well-formed
// GraphQL-over-HTTP request (415 content type, 400 bad JSON or parameters).
std::variant<GraphQLParams, Response> read_graphql_params(const Request& request,
                                                          GraphQLMediaType media);

// A response {"errors":[...]} in the negotiated media type.
Response graphql_error_response(http::status status, GraphQLMediaType media,
                                std::string_view message);

// "a%20b+c" -> "a b c"; nullopt for a broken escape.
std::optional<std::string> url_decode(std::string_view text);

}  // namespace herald::server
