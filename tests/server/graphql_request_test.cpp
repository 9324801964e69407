// The GraphQL-over-HTTP request layer without sockets: Accept negotiation, POST bodies,
// GET query strings, and the status of malformed requests.
#include <gtest/gtest.h>

#include <variant>

#include "server/graphql_request.hpp"

namespace herald::server {
namespace {

using Media = GraphQLMediaType;

TEST(GraphQLAccept, NegotiatesTheSpecsMediaTypes) {
  EXPECT_EQ(negotiate_graphql_media(""), Media::json);
  EXPECT_EQ(negotiate_graphql_media("*/*"), Media::json);
  EXPECT_EQ(negotiate_graphql_media("application/json"), Media::json);
  EXPECT_EQ(negotiate_graphql_media("application/graphql-response+json"),
            Media::graphql_response_json);
  EXPECT_EQ(negotiate_graphql_media("application/graphql-response+json, application/json;q=0.9"),
            Media::graphql_response_json);
  EXPECT_EQ(negotiate_graphql_media("application/graphql-response+json;q=0.5, application/json"),
            Media::json);
  EXPECT_EQ(negotiate_graphql_media("text/html, application/*;q=0.2"), Media::json);
  EXPECT_EQ(negotiate_graphql_media("application/json; charset=utf-8"), Media::json);
}

TEST(GraphQLAccept, RefusesWhatItCannotProduce) {
  EXPECT_EQ(negotiate_graphql_media("text/html"), std::nullopt);
  EXPECT_EQ(negotiate_graphql_media("application/json;q=0"), std::nullopt);
  EXPECT_EQ(negotiate_graphql_media("application/json; charset=latin1"), std::nullopt);
}

Request post(std::string content_type, std::string body) {
  Request request{http::verb::post, "/graphql", 11};
  if (!content_type.empty()) request.set(http::field::content_type, content_type);
  request.body() = std::move(body);
  return request;
}

Request get(std::string target) {
  return Request{http::verb::get, target, 11};
}

http::status status_of(const std::variant<GraphQLParams, Response>& read) {
  return std::holds_alternative<Response>(read) ? std::get<Response>(read).result()
                                                : http::status::ok;
}

TEST(GraphQLParams, ReadsAPostBody) {
  auto read = read_graphql_params(
      post("application/json; charset=utf-8",
           R"({"query":"query Q($a: Int) { x }","variables":{"a":1},"operationName":"Q",)"
           R"("extensions":{"k":true}})"),
      Media::json);
  ASSERT_TRUE(std::holds_alternative<GraphQLParams>(read));
  const auto& params = std::get<GraphQLParams>(read);
  EXPECT_EQ(params.query, "query Q($a: Int) { x }");
  EXPECT_EQ(params.operation_name, "Q");
  EXPECT_EQ(params.variables.dump(), R"({"a":1})");
  EXPECT_EQ(params.extensions.dump(), R"({"k":true})");
}

TEST(GraphQLParams, NullOptionalParametersAreAbsent) {
  auto read = read_graphql_params(
      post("application/json",
           R"({"query":"{ x }","variables":null,"operationName":null,"extensions":null})"),
      Media::json);
  ASSERT_TRUE(std::holds_alternative<GraphQLParams>(read));
  EXPECT_EQ(std::get<GraphQLParams>(read).variables.dump(), "{}");
}

TEST(GraphQLParams, MalformedPostsAreRefused) {
  EXPECT_EQ(status_of(read_graphql_params(post("", R"({"query":"{ x }"})"), Media::json)),
            http::status::unsupported_media_type);
  EXPECT_EQ(status_of(read_graphql_params(post("text/plain", R"({"query":"{ x }"})"), Media::json)),
            http::status::unsupported_media_type);
  EXPECT_EQ(status_of(read_graphql_params(post("application/json", "{ \"not a JSON"), Media::json)),
            http::status::bad_request);
  EXPECT_EQ(status_of(read_graphql_params(post("application/json", ""), Media::json)),
            http::status::bad_request);
  for (const char* body :
       {R"({"notquery":"{ x }"})", R"({"query":0})", R"({"query":{"a":1}})",
        R"({"query":"{ x }","variables":"s"})", R"({"query":"{ x }","variables":[1]})",
        R"({"query":"{ x }","operationName":false})", R"({"query":"{ x }","extensions":0})",
        "[1]"}) {
    EXPECT_EQ(status_of(read_graphql_params(post("application/json", body), Media::json)),
              http::status::bad_request)
        << body;
  }
}

TEST(GraphQLParams, ErrorsAnswerInTheNegotiatedMediaType) {
  auto read = read_graphql_params(post("application/json", "nope"), Media::graphql_response_json);
  ASSERT_TRUE(std::holds_alternative<Response>(read));
  const auto& response = std::get<Response>(read);
  EXPECT_EQ(response[http::field::content_type],
            "application/graphql-response+json; charset=utf-8");
  EXPECT_EQ(response.body(), R"({"errors":[{"message":"the request body is not valid JSON"}]})");
}

TEST(GraphQLParams, ReadsAGetQueryString) {
  auto read =
      read_graphql_params(get("/graphql?query=query%20T(%24n%3A%20String!)%20%7B%20x%20%7D"
                              "&variables=%7B%22n%22%3A%22a+b%22%7D&operationName=T&other=1"),
                          Media::json);
  ASSERT_TRUE(std::holds_alternative<GraphQLParams>(read));
  const auto& params = std::get<GraphQLParams>(read);
  EXPECT_EQ(params.query, "query T($n: String!) { x }");
  EXPECT_EQ(params.operation_name, "T");
  EXPECT_EQ(params.variables.dump(), R"({"n":"a b"})");
}

TEST(GraphQLParams, MalformedGetsAreRefused) {
  EXPECT_EQ(status_of(read_graphql_params(get("/graphql"), Media::json)),
            http::status::bad_request);
  EXPECT_EQ(status_of(read_graphql_params(get("/graphql?query=%7"), Media::json)),
            http::status::bad_request);
  EXPECT_EQ(status_of(read_graphql_params(get("/graphql?query=x&variables=%7Bbad"), Media::json)),
            http::status::bad_request);
}

TEST(UrlDecode, DecodesEscapesAndPlus) {
  EXPECT_EQ(url_decode("a%20b+c%2B"), "a b c+");
  EXPECT_EQ(url_decode("%"), std::nullopt);
  EXPECT_EQ(url_decode("%zz"), std::nullopt);
}

}  // namespace
}  // namespace herald::server
