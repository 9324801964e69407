#pragma once
// Everything an integration test needs to run against real servers: include this one.

#include "support/child_process.hpp"
#include "support/eventually.hpp"
#include "support/herald_binary.hpp"
#include "support/nats_server.hpp"
#include "support/net.hpp"
#include "support/pg_client.hpp"
#include "support/postgres_server.hpp"
#include "support/redis_server.hpp"
#include "support/shared_servers.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"
