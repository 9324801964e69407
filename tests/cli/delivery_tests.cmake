# `herald run` delivering to webhooks and Redis (issue 4's "what it must show"): the binary
# as a child process, a scripted webhook receiver (tests/sink/webhook_test_receiver.*) and
# Redis read back with hiredis; retries, dead letters and `herald dlq` through the real
# commands. The signature test runs the npm `standardwebhooks` library (tools/node).
herald_test(cli_delivery_tests LABEL integration
  SOURCES
    support_herald.cpp
    support_delivery.cpp
    support_pg_session.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../sink/webhook_test_receiver.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../sink/redis_test_client.cpp
    run_webhook_retry_test.cpp
    run_webhook_failure_test.cpp
    run_webhook_order_test.cpp
    run_webhook_signature_test.cpp
    run_webhook_metrics_test.cpp
    run_webhook_crash_test.cpp
    run_webhook_backlog_test.cpp
    run_redis_test.cpp
    run_dlq_test.cpp
  LIBS herald_sink herald_test_support nlohmann_json::nlohmann_json PkgConfig::LIBPQ PkgConfig::HIREDIS
       PkgConfig::LIBCURL fmt::fmt)
target_compile_definitions(cli_delivery_tests PRIVATE HERALD_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
add_dependencies(cli_delivery_tests herald)
