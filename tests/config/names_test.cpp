// The small checks behind the messages: edit distance, subjects, names, listen.
#include <array>

#include <gtest/gtest.h>

#include "config/names.hpp"
#include "config/suggest.hpp"

namespace herald::config {
namespace {

TEST(Suggest, EditDistance) {
  EXPECT_EQ(edit_distance("event", "event"), 0U);
  EXPECT_EQ(edit_distance("evnt", "event"), 1U);
  EXPECT_EQ(edit_distance("", "abc"), 3U);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3U);
}

TEST(Suggest, ClosestMatch) {
  constexpr std::array<std::string_view, 4> keys = {"table", "event", "subject", "timeout_ms"};
  EXPECT_EQ(closest_match("evnet", keys), "event");
  EXPECT_EQ(closest_match("tabel", keys), "table");
  EXPECT_EQ(closest_match("timeout", keys), "timeout_ms");
  EXPECT_EQ(closest_match("ab", keys), std::nullopt);
  EXPECT_EQ(closest_match("priority", keys), std::nullopt);
}

TEST(Names, PublishSubjects) {
  EXPECT_EQ(subject_problem("fraiseql.order.created", SubjectUse::Publish), std::nullopt);
  EXPECT_TRUE(subject_problem("", SubjectUse::Publish).has_value());
  EXPECT_TRUE(subject_problem(".a", SubjectUse::Publish).has_value());
  EXPECT_TRUE(subject_problem("a.", SubjectUse::Publish).has_value());
  EXPECT_TRUE(subject_problem("a\tb", SubjectUse::Publish).has_value());
  EXPECT_TRUE(subject_problem("a.*", SubjectUse::Publish).has_value());
}

TEST(Names, SubscribeSubjects) {
  EXPECT_EQ(subject_problem("a.*.c", SubjectUse::Subscribe), std::nullopt);
  EXPECT_EQ(subject_problem(">", SubjectUse::Subscribe), std::nullopt);
  EXPECT_EQ(subject_problem("a.>", SubjectUse::Subscribe), std::nullopt);
  EXPECT_TRUE(subject_problem("a.>.c", SubjectUse::Subscribe).has_value());
  EXPECT_TRUE(subject_problem("a.b*", SubjectUse::Subscribe).has_value());
  EXPECT_TRUE(subject_problem("a..b", SubjectUse::Subscribe).has_value());
}

TEST(Names, SlotsPublicationsStreamsDurables) {
  EXPECT_EQ(slot_problem("herald_2"), std::nullopt);
  EXPECT_EQ(slot_problem("2herald"), std::nullopt);
  EXPECT_TRUE(slot_problem("herald-2").has_value());
  EXPECT_TRUE(slot_problem("").has_value());
  EXPECT_TRUE(publication_problem("2herald").has_value());
  EXPECT_EQ(publication_problem("_herald"), std::nullopt);
  EXPECT_EQ(stream_problem("FRAISEQL-1"), std::nullopt);
  EXPECT_TRUE(stream_problem("A/B").has_value());
  EXPECT_EQ(durable_problem("inventory-v2_x"), std::nullopt);
  EXPECT_TRUE(durable_problem("a b").has_value());
  EXPECT_EQ(durable_from_handler("inventory.fn_reserve(x)"), "inventory_fn_reserve_x_");
}

TEST(Names, ListenAddresses) {
  const auto v4 = parse_listen("0.0.0.0:8080");
  ASSERT_TRUE(v4.has_value());
  EXPECT_EQ(v4->host, "0.0.0.0");
  EXPECT_EQ(v4->port, 8080);
  const auto v6 = parse_listen("[::]:65535");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->host, "::");
  EXPECT_EQ(v6->port, 65535);
  EXPECT_FALSE(parse_listen("::1:8080").has_value());
  EXPECT_FALSE(parse_listen(":8080").has_value());
  EXPECT_FALSE(parse_listen("host:").has_value());
  EXPECT_FALSE(parse_listen("host:65536").has_value());
  EXPECT_FALSE(parse_listen("host:+80").has_value());
  EXPECT_FALSE(parse_listen("host:99999999999999999999").has_value());
}

}  // namespace
}  // namespace herald::config
