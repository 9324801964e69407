// Thousands of deterministic mutations of the example configs: the loader must always
// answer with a config or errors, never crash (CI runs this under ASan + UBSan).
#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace herald::config {
namespace {

constexpr int kMutationsPerFile = 1500;
constexpr std::string_view kPunctuation[] = {"[",
                                             "]",
                                             "[[",
                                             "]]",
                                             "=",
                                             "\"",
                                             "'",
                                             "\"\"\"",
                                             "'''",
                                             "{",
                                             "}",
                                             ",",
                                             ".",
                                             "#",
                                             "\n",
                                             "${",
                                             "}",
                                             "$${",
                                             ":-",
                                             "\\",
                                             "\r\n",
                                             "[[observers]]\n",
                                             "[[observers.actions]]\n",
                                             "[observers.actions.retry]\n",
                                             "\xff",
                                             "\xc3\xa9",
                                             "\t"};

std::string read_text(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

std::string mutate(std::string text, std::mt19937& random) {
  const int steps = 1 + static_cast<int>(random() % 3);
  for (int step = 0; step < steps; ++step) {
    const std::size_t at = text.empty() ? 0 : random() % (text.size() + 1);
    switch (random() % 4) {
      case 0:  // flip some bits of one byte
        if (!text.empty()) {
          const std::size_t index = std::min(at, text.size() - 1);
          text[index] = static_cast<char>(text[index] ^ static_cast<char>(1 + random() % 255));
        }
        break;
      case 1:  // cut the file short
        text.resize(at);
        break;
      case 2: {  // insert TOML punctuation
        const auto& piece = kPunctuation[random() % std::size(kPunctuation)];
        text.insert(at, piece);
        break;
      }
      default:  // delete a short run
        text.erase(at, std::min<std::size_t>(random() % 8, text.size() - at));
        break;
    }
  }
  return text;
}

void expect_config_or_errors(const std::string& text, const std::string& path) {
  const LoadResult result =
      load_string(text, path,
                  testing::env_of({{"NATS_URL", "nats://n:1"},
                                   {"DATABASE_URL", "postgres://"},
                                   {"BILLING_WEBHOOK_URL", "http://b/"},
                                   {"BILLING_WEBHOOK_SECRET", "s"},
                                   {"USER_CREATED_WEBHOOK_URL", "http://u/"}}));
  ASSERT_NE(result.config.has_value(), !result.errors.empty());
  for (const ConfigError& error : result.errors) {
    ASSERT_EQ(error.pos.file, path);
    ASSERT_GE(error.pos.line, 1) << error.to_string();  // every error from text has a line
    ASSERT_GE(error.pos.column, 1) << error.to_string();
    ASSERT_FALSE(error.message.empty());
  }
}

class Mutations : public ::testing::TestWithParam<const char*> {};

TEST_P(Mutations, NeverCrash) {
  const std::string original = read_text(testing::source_path(GetParam()));
  ASSERT_FALSE(original.empty());
  expect_config_or_errors(original, GetParam());
  std::mt19937 random(20261126U);
  for (int i = 0; i < kMutationsPerFile; ++i) {
    const std::string mutated = mutate(original, random);
    SCOPED_TRACE(::testing::Message() << "mutation " << i << ":\n" << mutated);
    expect_config_or_errors(mutated, GetParam());
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(Adversarial, DeepNestingLongLinesAndManyRules) {
  std::string many_rules;
  for (int i = 0; i < 2000; ++i) many_rules += "[[observers]]\n[[observers.actions]]\n";
  const std::string inputs[] = {
      "a = " + std::string(5000, '[') + std::string(5000, ']') + "\n",
      "a = " + std::string(3000, '{') + "\n",
      "[observers]\nsubject_prefix = \"" + std::string(20000, '$') + "{\"\n",
      "[" + std::string(10000, '.') + "]\n",
      "x = \"\"\"\n[[observers]]\n",
      "[[observers]]\n[[observers.actions]]\n[[ observers . actions "
      "]]\n[observers.actions.retry]\n",
      std::string("\0\0[[observers]]\0", 17),
      many_rules,
  };
  for (const std::string& input : inputs) {
    SCOPED_TRACE(input.substr(0, 80));
    expect_config_or_errors(input, "adversarial.toml");
  }
}

INSTANTIATE_TEST_SUITE_P(Examples, Mutations,
                         ::testing::Values("examples/fraiseql.toml", "examples/guide/nats.toml",
                                           "examples/guide/webhook.toml",
                                           "examples/guide/subscribe.toml"));

}  // namespace
}  // namespace herald::config
