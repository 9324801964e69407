// Robustness: damaged pgoutput messages give errors, never crashes or over-reads.
// Deterministic (fixed seed), so a failure reproduces; CI runs it under ASan + UBSan.

#include "capture/exact_json.hpp"
#include "capture/pgoutput_decoder.hpp"
#include "pgoutput_builder.hpp"
#include "recording_visitor.hpp"

#include <gtest/gtest.h>

#include <random>

namespace herald::capture {
namespace {

using namespace herald::capture::testing;

constexpr std::uint32_t kWide = 30000;
constexpr std::uint32_t kToast = 30001;

std::vector<std::string> schema_messages() {
  return {
      type_message(90001, "public", "mood"),
      relation_message(kWide, "public", "tb_wide", 'f',
                       {{"id", oid::kInt4, true},
                        {"name", oid::kText},
                        {"amount", oid::kNumeric},
                        {"doc", oid::kJsonb},
                        {"tags", oid::kTextArray},
                        {"grid", oid::kInt4Array},
                        {"blob", oid::kBytea},
                        {"at", oid::kTimestamptz},
                        {"ok", oid::kBool},
                        {"ratio", oid::kFloat8},
                        {"uid", oid::kUuid},
                        {"mood", 90001}}),
      relation_message(kToast, "s", "tb_toast", 'd',
                       {{"k", oid::kInt8, true}, {"body", oid::kText}}),
  };
}

std::vector<Value> wide_row(const std::string& id) {
  return {text(id),
          text("héllo"),
          text("12345678901234567890.123456789"),
          text(R"({"a":[1,2,{"b":null}],"c":"d"})"),
          text(R"({plain,"q\"uote",NULL})"),
          text("[0:1][1:2]={{1,2},{3,NULL}}"),
          text("\\x00ff10"),
          text("2026-03-02 16:00:00.5+02"),
          text("t"),
          text("-1.5e-300"),
          text("550e8400-e29b-41d4-a716-446655440000"),
          text("happy")};
}

// Valid messages that follow schema_messages() and a Begin.
std::vector<std::string> body_messages() {
  return {
      insert_message(kWide, wide_row("1")),
      update_message(kWide, 'O', wide_row("1"), wide_row("2")),
      delete_message(kWide, 'O', wide_row("2")),
      update_message(kToast, 'K', {text("5"), null()}, {text("6"), unchanged()}),
      update_message(kToast, 0, {}, {text("6"), unchanged()}),
      delete_message(kToast, 'K', {text("6"), null()}),
      truncate_message({kWide, kToast}, 1),
      logical_message(true, 0x77, "herald", R"({"operation":"createOrder"})"),
      logical_message(false, 0x78, "other", std::string("\0\1\2", 3)),
      origin_message(0x10, "origin"),
      commit_message(0x1000, 0x1040, 825'775'200'123'456LL),
  };
}

std::string begin() {
  return begin_message(0x1000, 825'775'200'123'456LL, 4242);
}

std::vector<std::string> all_messages() {
  std::vector<std::string> all = schema_messages();
  all.push_back(begin());
  for (auto& m : body_messages()) all.push_back(m);
  return all;
}

class Mutator {
 public:
  explicit Mutator(std::uint32_t seed) : rng_(seed) {}

  std::string mutate(std::string message) {
    const int rounds = 1 + static_cast<int>(below(4));
    for (int i = 0; i < rounds; ++i) mutate_once(message);
    return message;
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : rng_() % n; }

 private:
  void mutate_once(std::string& m) {
    static constexpr std::uint8_t kInteresting[] = {0x00, 0x01, 0x7f, 0x80, 0xff, 'n', 'u',  't',
                                                    'b',  'K',  'O',  'N',  '{',  '"', '\\', ','};
    const std::size_t at = below(m.size());
    switch (below(7)) {
      case 0:  // flip a bit (never the type byte: other types are covered separately)
        if (m.size() > 1) m[1 + below(m.size() - 1)] ^= static_cast<char>(1u << below(8));
        break;
      case 1:
        if (!m.empty()) m[at] = static_cast<char>(kInteresting[below(sizeof kInteresting)]);
        break;
      case 2:
        m.resize(below(m.size() + 1));
        break;
      case 3:
        m.insert(m.begin() + static_cast<std::ptrdiff_t>(at), static_cast<char>(rng_()));
        break;
      case 4:
        if (!m.empty()) m.erase(at, 1 + below(8));
        break;
      case 5: {  // an interesting 32-bit value: lengths and counts
        static constexpr std::uint32_t kWords[] = {0,          1,      0x7fffffff, 0x80000000,
                                                   0xffffffff, 0xffff, 12};
        const std::uint32_t w = kWords[below(std::size(kWords))];
        for (int k = 0; k < 4 && at + static_cast<std::size_t>(k) < m.size(); ++k) {
          m[at + static_cast<std::size_t>(k)] = static_cast<char>((w >> (24 - 8 * k)) & 0xff);
        }
        break;
      }
      case 6:  // duplicate a slice
        if (!m.empty()) m.insert(at, m.substr(below(m.size()), below(16)));
        break;
    }
  }
  std::mt19937 rng_;
};

// Whatever the decoder emitted must be serialisable (nlohmann throws on bad UTF-8).
void expect_serialisable(const RecordingVisitor& visitor) {
  for (const Change& c : visitor.changes) {
    EXPECT_NO_THROW((void)c.new_row.dump());
    EXPECT_NO_THROW((void)dump_json(c.new_row));
    EXPECT_NO_THROW((void)dump_json(c.old_row));
    EXPECT_NO_THROW((void)dump_json(c.key));
  }
}

TEST(DecoderFuzz, ValidCorpusDecodes) {
  PgoutputDecoder decoder;
  RecordingVisitor visitor;
  for (const std::string& m : all_messages()) {
    auto result = decoder.decode(m, visitor);
    ASSERT_TRUE(result.ok()) << result.error().message;
  }
  EXPECT_EQ(visitor.changes.size(), 6u);
  EXPECT_EQ(visitor.changes[0].txn.position, 0u);
  EXPECT_EQ(visitor.messages.at(0).txn->position, 7u);
  expect_serialisable(visitor);
}

TEST(DecoderFuzz, EveryTruncationIsAnErrorNamingTheMessage) {
  int cases = 0;
  const auto all = all_messages();
  for (std::size_t n = 0; n < all.size(); ++n) {
    for (std::size_t cut = 0; cut < all[n].size(); ++cut) {
      PgoutputDecoder decoder;
      RecordingVisitor visitor;
      for (std::size_t before = 0; before < n; ++before) {
        ASSERT_TRUE(decoder.decode(all[before], visitor).ok());
      }
      const std::size_t seen = visitor.log.size();
      auto result = decoder.decode(std::string_view(all[n]).substr(0, cut), visitor);
      ASSERT_FALSE(result.ok()) << "message " << n << " cut at " << cut;
      EXPECT_EQ(visitor.log.size(), seen) << "a failed message must not be half-emitted";
      if (cut > 0) {
        EXPECT_EQ(result.error().message.rfind("pgoutput ", 0), 0u) << result.error().message;
      }
      ++cases;
    }
  }
  EXPECT_GT(cases, 500);
}

TEST(DecoderFuzz, MutatedMessagesNeverCrash) {
  const auto schema = schema_messages();
  const auto body = body_messages();
  std::vector<std::string> targets = schema;
  targets.push_back(begin());
  targets.insert(targets.end(), body.begin(), body.end());
  Mutator mutator(20261126);
  int accepted = 0;
  int rejected = 0;
  constexpr int kCases = 20000;
  for (int i = 0; i < kCases; ++i) {
    PgoutputDecoder decoder;
    RecordingVisitor visitor;
    for (const auto& m : schema) ASSERT_TRUE(decoder.decode(m, visitor).ok());
    // Half the time inside a transaction, so row messages get past the order checks.
    if (i % 2 == 0) {
      ASSERT_TRUE(decoder.decode(begin(), visitor).ok());
    }
    const std::string damaged = mutator.mutate(targets[mutator.below(targets.size())]);
    auto result = decoder.decode(damaged, visitor);
    if (result.ok()) {
      ++accepted;
    } else {
      ++rejected;
      EXPECT_FALSE(result.error().message.empty());
    }
    expect_serialisable(visitor);
  }
  // Both outcomes must be common, or the mutations are not reaching the decoder's depths.
  EXPECT_GT(accepted, kCases / 20);
  EXPECT_GT(rejected, kCases / 4);
}

TEST(DecoderFuzz, DamagedStreamsKeepDecodingAfterErrors) {
  Mutator mutator(7);
  const auto all = all_messages();
  int errors = 0;
  for (int round = 0; round < 1000; ++round) {
    PgoutputDecoder decoder;
    RecordingVisitor visitor;
    const std::size_t victim = mutator.below(all.size());
    for (std::size_t n = 0; n < all.size(); ++n) {
      const std::string m = n == victim ? mutator.mutate(all[n]) : all[n];
      if (!decoder.decode(m, visitor).ok()) ++errors;
    }
    expect_serialisable(visitor);
  }
  EXPECT_GT(errors, 0);
}

TEST(DecoderFuzz, RandomBytesAfterEveryTypeByte) {
  Mutator mutator(99);
  std::mt19937 rng(99);
  for (char type : std::string("BCORYIUDTMSEcAKNXw")) {
    for (int i = 0; i < 300; ++i) {
      std::string m(1, type);
      const std::size_t length = mutator.below(64);
      for (std::size_t k = 0; k < length; ++k) m.push_back(static_cast<char>(rng()));
      PgoutputDecoder decoder;
      RecordingVisitor visitor;
      for (const auto& s : schema_messages()) ASSERT_TRUE(decoder.decode(s, visitor).ok());
      ASSERT_TRUE(decoder.decode(begin(), visitor).ok());
      (void)decoder.decode(m, visitor);
      expect_serialisable(visitor);
    }
  }
}

}  // namespace
}  // namespace herald::capture
