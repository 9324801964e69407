# `herald run` serving GraphQL over HTTP (issue 5): the binary as a child process with a
# [server] table, real PostgreSQL and NATS from the shared test servers, requests with a
# Beast client, events read back from JetStream.
set(herald_graphql_run_sources
  support_herald.cpp
  support_pg_session.cpp
  support_run_fixture.cpp
  support_stream_reader.cpp
  support_graphql.cpp
  run_graphql_events_test.cpp
  run_graphql_http_test.cpp
  run_graphql_startup_test.cpp
  run_graphql_auth_test.cpp
  run_graphql_workers_test.cpp)
find_program(NODE_EXECUTABLE node)
if(NODE_EXECUTABLE AND EXISTS ${CMAKE_SOURCE_DIR}/tools/node/graphql-http-audit.mjs)
  # The npm graphql-http audit against `herald run` (needs tools/node/node_modules).
  list(APPEND herald_graphql_run_sources run_graphql_audit_test.cpp)
endif()
herald_test(cli_run_graphql_tests LABEL integration
  SOURCES ${herald_graphql_run_sources}
  LIBS herald_test_support herald_server_test_client cnats::nats nlohmann_json::nlohmann_json
       PkgConfig::LIBPQ OpenSSL::Crypto fmt::fmt)
target_compile_definitions(cli_run_graphql_tests PRIVATE
  HERALD_SOURCE_DIR="${CMAKE_SOURCE_DIR}" HERALD_NODE_EXECUTABLE="${NODE_EXECUTABLE}")
add_dependencies(cli_run_graphql_tests herald)

# [auth]: the HS256 JWT check GraphQL requests pass when it is set.
herald_test(cli_jwt_tests LABEL unit
  SOURCES jwt_test.cpp
  LIBS herald_cli OpenSSL::Crypto nlohmann_json::nlohmann_json)
