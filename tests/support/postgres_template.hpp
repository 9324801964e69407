#pragma once
// initdb takes seconds; copying a data directory takes a fraction of one. So the test
// support runs initdb once per machine into a cached template and copies it for each
// server.

#include <filesystem>

namespace herald::testing {

// The cached template data directory, created on first use: initdb'd (superuser
// `herald`, UTF8, locale C, 1 MB WAL segments so each copy is small), with herald's settings in
// postgresql.conf (wal_level=logical, 32 slots and WAL senders, loopback only) and a trust
// pg_hba.conf that also allows replication connections. Lives under $HERALD_TEST_CACHE, else
// /tmp/herald-test-cache-<uid>. Built under an exclusive file lock and renamed into place,
// so concurrent test processes neither race nor see a half-built template. As root it
// belongs to `postgres` (initdb refuses root). Throws std::runtime_error when initdb fails.
std::filesystem::path postgres_template_dir();

// Copies the template to `target` (which must not exist) with its modes; as root, hands
// the copy to `postgres`.
void copy_postgres_template(const std::filesystem::path& target);

}  // namespace herald::testing
