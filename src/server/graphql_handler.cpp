#include "server/graphql_handler.hpp"

#include <exception>
#include <variant>

#include <fmt/format.h>

#include "graphql/execute.hpp"
#include "graphql/validate.hpp"
#include "server/graphql_request.hpp"

namespace herald::server {

namespace {

using json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

// Stands in when a worker has no database connection: fields that need the database
// fail with the reason; introspection and __typename still answer.
class UnavailableDataSource : public graphql::DataSource {
 public:
  explicit UnavailableDataSource(std::string reason) : reason_(std::move(reason)) {}
  Result<json> query(const graphql::ViewQuery&) override { return Error{reason_}; }
  Result<json> mutate(const graphql::FunctionCall&) override { return Error{reason_}; }

 private:
  std::string reason_;
};

// Requests that never reach execution: 400 for graphql-response+json, 200 for json.
Response request_errors(GraphQLMediaType media, const std::vector<graphql::GraphQLError>& errors) {
  json body = {{"errors", graphql::errors_to_json(errors)}};
  auto status = media == GraphQLMediaType::graphql_response_json ? http::status::bad_request
                                                                 : http::status::ok;
  return make_response(status, content_type_of(media), body.dump());
}

}  // namespace

GraphQLHandler::GraphQLHandler(std::shared_ptr<const graphql::Schema> schema,
                               DataSourceFactory make_source, Options options)
    : schema_(std::move(schema)),
      options_(options),
      pool_(std::move(make_source), options.workers, options.queue_limit) {}

void GraphQLHandler::add_routes(Router& router) {
  router.add("/graphql", {http::verb::post, http::verb::get}, [this](Request request, Reply reply) {
    handle(std::move(request), std::move(reply));
  });
}

void GraphQLHandler::handle(Request request, Reply reply) {
  auto media = negotiate_graphql_media(to_std(request[http::field::accept]));
  if (!media) {
    reply(make_json_error(http::status::not_acceptable,
                          "Accept must allow application/graphql-response+json or "
                          "application/json"));
    return;
  }
  auto read = read_graphql_params(request, *media);
  if (auto* error = std::get_if<Response>(&read)) {
    reply(std::move(*error));
    return;
  }
  auto params = std::get<GraphQLParams>(std::move(read));

  auto parsed = graphql::parse(params.query, options_.parse);
  if (!parsed) {
    reply(request_errors(*media, {graphql::GraphQLError{
                                     parsed.error().message, {parsed.error().location}, nullptr}}));
    return;
  }
  auto document = std::make_shared<graphql::Document>(std::move(*parsed));
  auto errors = graphql::validate(*schema_, *document);
  if (!errors.empty()) {
    reply(request_errors(*media, errors));
    return;
  }
  auto choice = graphql::select_operation(*document, params.operation_name);
  if (!choice.errors.empty()) {
    reply(request_errors(*media, choice.errors));
    return;
  }
  if (request.method() == http::verb::get &&
      choice.operation->operation != graphql::OperationType::query) {
    auto response = graphql_error_response(http::status::method_not_allowed, *media,
                                           "only queries may be sent with GET; use POST");
    response.set(http::field::allow, "POST");
    reply(std::move(response));
    return;
  }

  auto deadline = Clock::now() + options_.time_limit;
  auto task = [schema = schema_, document, params = std::move(params), media = *media, deadline,
               reply](Result<graphql::DataSource*> source) {
    if (Clock::now() > deadline) {
      reply(graphql_error_response(http::status::service_unavailable, media,
                                   "the request waited too long for a worker"));
      return;
    }
    std::optional<UnavailableDataSource> unavailable;
    graphql::DataSource* data_source = nullptr;
    if (source) {
      data_source = *source;
    } else {
      unavailable.emplace(fmt::format("the database is unavailable: {}", source.error().message));
      data_source = &*unavailable;
    }
    try {
      auto result = graphql::execute(*schema, *document, params.operation_name, params.variables,
                                     {data_source, json::object()});
      auto status = media == GraphQLMediaType::graphql_response_json && !result.has_data
                        ? http::status::bad_request
                        : http::status::ok;
      reply(make_response(status, content_type_of(media), result.to_json().dump()));
    } catch (const std::exception& e) {
      reply(graphql_error_response(http::status::internal_server_error, media,
                                   fmt::format("internal error: {}", e.what())));
    }
  };
  if (!pool_.submit(std::move(task))) {
    auto response = graphql_error_response(http::status::service_unavailable, *media,
                                           "too many GraphQL requests are waiting; retry later");
    response.set(http::field::retry_after, "1");
    reply(std::move(response));
  }
}

}  // namespace herald::server
