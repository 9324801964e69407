#include "pg/conninfo.hpp"

#include <gtest/gtest.h>

namespace herald::pg {
namespace {

using Passwords = std::vector<std::string>;

TEST(PasswordsInConninfo, FindsKeywordFormPasswords) {
  EXPECT_EQ(passwords_in_conninfo("host=db password=s3cret dbname=app"), Passwords{"s3cret"});
  EXPECT_EQ(passwords_in_conninfo("password = 'with space' user=x"), Passwords{"with space"});
  EXPECT_EQ(passwords_in_conninfo("password='it\\'s'"), (Passwords{"it\\'s", "it's"}));
  EXPECT_TRUE(passwords_in_conninfo("host=db dbname=app").empty());
  EXPECT_TRUE(passwords_in_conninfo("").empty());
}

TEST(PasswordsInConninfo, FindsUriPasswordsRawAndDecoded) {
  EXPECT_EQ(passwords_in_conninfo("postgresql://bob:pa%40ss@db:5432/app"),
            (Passwords{"pa%40ss", "pa@ss"}));
  EXPECT_EQ(passwords_in_conninfo("postgres://bob@db/app?sslmode=off&password=qq"),
            (Passwords{"qq", "qq"}));
  EXPECT_TRUE(passwords_in_conninfo("postgresql://bob@db/app").empty());
  EXPECT_TRUE(passwords_in_conninfo("postgresql:///app?host=/tmp").empty());
}

TEST(RedactPasswords, ReplacesEveryOccurrence) {
  EXPECT_EQ(redact_passwords("missing \"=\" after \"s3cret\" in s3cret", "password=s3cret x"),
            "missing \"=\" after \"********\" in ********");
  EXPECT_EQ(redact_passwords("bad token \"pa@ss\"", "postgresql://u:pa%40ss@h/d"),
            "bad token \"********\"");
  EXPECT_EQ(redact_passwords("nothing secret", "host=x"), "nothing secret");
}

}  // namespace
}  // namespace herald::pg
