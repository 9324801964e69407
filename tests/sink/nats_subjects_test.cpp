// Subject coverage/overlap rules the stream setup relies on, and URL redaction.

#include "sink/nats_subjects.hpp"

#include <gtest/gtest.h>

namespace herald::sink::nats {
namespace {

TEST(SubjectCovers, LiteralCoversOnlyItself) {
  EXPECT_TRUE(subject_covers("a.b", "a.b"));
  EXPECT_FALSE(subject_covers("a.b", "a.c"));
  EXPECT_FALSE(subject_covers("a.b", "a.b.c"));
  EXPECT_FALSE(subject_covers("a.b", "a.*"));
}

TEST(SubjectCovers, StarCoversOneToken) {
  EXPECT_TRUE(subject_covers("a.*", "a.b"));
  EXPECT_TRUE(subject_covers("a.*", "a.*"));
  EXPECT_FALSE(subject_covers("a.*", "a.b.c"));
  EXPECT_FALSE(subject_covers("a.*", "a.>"));
  EXPECT_FALSE(subject_covers("a.*", "a"));
}

TEST(SubjectCovers, TailCoversOneOrMoreTokens) {
  EXPECT_TRUE(subject_covers("fraiseql.>", "fraiseql.order.created"));
  EXPECT_TRUE(subject_covers("fraiseql.>", "fraiseql.*"));
  EXPECT_TRUE(subject_covers("fraiseql.>", "fraiseql.>"));
  EXPECT_FALSE(subject_covers("fraiseql.>", "fraiseql"));
  EXPECT_FALSE(subject_covers("fraiseql.>", "other.order"));
  EXPECT_TRUE(subject_covers(">", "anything.at.all"));
}

TEST(SubjectsOverlap, DetectsSharedConcreteSubjects) {
  EXPECT_TRUE(subjects_overlap("a.b", "a.b"));
  EXPECT_TRUE(subjects_overlap("a.*", "a.b"));
  EXPECT_TRUE(subjects_overlap("a.b", "*.b"));
  EXPECT_TRUE(subjects_overlap("a.>", "a.b.c"));
  EXPECT_TRUE(subjects_overlap("*.b.>", "a.*.c"));
  EXPECT_FALSE(subjects_overlap("a.b", "a.c"));
  EXPECT_FALSE(subjects_overlap("a.*", "a.b.c"));
  EXPECT_FALSE(subjects_overlap("a.>", "a"));
  EXPECT_FALSE(subjects_overlap("orders.>", "fraiseql.>"));
}

TEST(MinimalSubjects, DropsDuplicatesAndCoveredSubjects) {
  EXPECT_EQ(minimal_subjects({"fraiseql.>", "fraiseql.order.created", "billing.paid",
                              "billing.paid", "fraiseql.>"}),
            (std::vector<std::string>{"fraiseql.>", "billing.paid"}));
  EXPECT_EQ(minimal_subjects({"a.b", "a.*"}), (std::vector<std::string>{"a.*"}));
  EXPECT_TRUE(minimal_subjects({}).empty());
}

TEST(RedactUrl, RemovesCredentialsFromEveryUrl) {
  EXPECT_EQ(redact_url("nats://127.0.0.1:4222"), "nats://127.0.0.1:4222");
  EXPECT_EQ(redact_url("nats://user:s3cret@nats.local:4222"), "nats://nats.local:4222");
  EXPECT_EQ(redact_url("nats://tok@a:1,nats://b:2,tls://u:p@c:3"),
            "nats://a:1,nats://b:2,tls://c:3");
  EXPECT_EQ(redact_url("u:p@host:4222"), "host:4222");
}

TEST(ServerUrls, SplitsAListIntoTrimmedUrls) {
  using List = std::vector<std::string>;
  EXPECT_EQ(server_urls("nats://127.0.0.1:4222"), List{"nats://127.0.0.1:4222"});
  EXPECT_EQ(server_urls("nats://a:1,nats://u:p@b:2"), (List{"nats://a:1", "nats://u:p@b:2"}));
  EXPECT_EQ(server_urls(" nats://a:1 ,\tnats://b:2, "), (List{"nats://a:1", "nats://b:2"}));
  EXPECT_TRUE(server_urls("").empty());
  EXPECT_TRUE(server_urls(" , ").empty());
}

}  // namespace
}  // namespace herald::sink::nats
