#include "app/passwords.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace seedcast::app {
namespace {

const std::vector<std::string> kNoContext;

// `n` lower-case letters that form no pattern the rules look for (a fixed pseudo-random
// sequence).
std::string Letters(size_t n) {
  std::string out;
  uint32_t state = 12345;
  while (out.size() < n) {
    state = state * 1103515245U + 12345U;
    out.push_back(static_cast<char>('a' + (state >> 16) % 26));
  }
  return out;
}

void ExpectRefused(std::string_view password, const std::string& reason,
                   const std::vector<std::string>& context = kNoContext) {
  const Status status = CheckNewPassword(password, context);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << password;
  EXPECT_EQ(status.reason(), reason) << password;
  EXPECT_EQ(status.field(), "password") << password;
  EXPECT_EQ(status.message().find(password), std::string::npos) << status.message();
}

TEST(CheckNewPasswordTest, CountsCodePointsNotBytes) {
  const std::string twelve = "мойсекретный";  // 12 Cyrillic letters, 24 bytes
  ASSERT_EQ(twelve.size(), 24U);
  EXPECT_TRUE(CheckNewPassword(twelve, kNoContext).ok());
  ExpectRefused("мойсекретны", "password_too_short");
  ExpectRefused("hunter2", "password_too_short");
}

TEST(CheckNewPasswordTest, AllowsUpTo256CodePoints) {
  EXPECT_TRUE(CheckNewPassword(Letters(256), kNoContext).ok());
  ExpectRefused(Letters(257), "password_too_long");
  // 256 two-byte letters are 512 bytes: still allowed.
  std::string wide;
  for (size_t i = 0; i < 256; ++i) wide += (i % 3 == 0) ? "é" : (i % 3 == 1 ? "ж" : "ß");
  EXPECT_TRUE(CheckNewPassword(wide, kNoContext).ok());
}

TEST(CheckNewPasswordTest, RefusesAbsurdSizesBeforeDecoding) {
  const std::string huge(kMaxPasswordBytes + 1, 'x');
  EXPECT_FALSE(PasswordWithinBytes(huge));
  EXPECT_TRUE(PasswordWithinBytes(std::string(kMaxPasswordBytes, 'x')));
  ExpectRefused(huge, "password_too_long");
  EXPECT_EQ(HashPassword(huge).status().reason(), "password_too_long");
  EXPECT_FALSE(VerifyPassword("$argon2id$v=19$m=65536,t=2,p=1$AAAA$AAAA", huge));
}

TEST(CheckNewPasswordTest, RefusesInvalidUtf8) {
  ExpectRefused("abcdefghijk\xff\xfe", "password_not_utf8");
  ExpectRefused("plenty of text \xc3", "password_not_utf8");
}

TEST(CheckNewPasswordTest, RefusesListedPasswordsInAnyCase) {
  ExpectRefused("winniethepooh", "password_common");
  ExpectRefused("WinnieThePooh", "password_common");
}

TEST(CheckNewPasswordTest, RefusesListedPasswordsWithDigitsOrPunctuationAround) {
  ExpectRefused("password1234!", "password_common");
  ExpectRefused("2024qwerty12", "password_common");
  ExpectRefused("!!Monkey2024!!", "password_common");
  ExpectRefused("qwertyqwerty2024", "password_common");  // repeated, then padded
}

TEST(CheckNewPasswordTest, RefusesRepetitions) {
  ExpectRefused("qwertyqwerty", "password_common");
  ExpectRefused("abcabcabcabc", "password_common");
  ExpectRefused("aaaaaaaaaaaa", "password_common");
  ExpectRefused("ABCDabcdAbCd", "password_common");
  ExpectRefused("ééééééééééééé", "password_common");
}

TEST(CheckNewPasswordTest, RefusesRunsOfCharacters) {
  ExpectRefused("123456789012", "password_common");
  ExpectRefused("abcdefghijkl", "password_common");
  ExpectRefused("987654321098", "password_common");
  ExpectRefused("ABCDEFGHIJKLM", "password_common");
  ExpectRefused("!abcdefghijk!", "password_common");
}

TEST(CheckNewPasswordTest, RefusesContextWords) {
  const std::vector<std::string> context = {"seedcast", "jane.doe", "bob"};
  ExpectRefused("MySeedcastLogin", "password_contains_context", context);
  ExpectRefused("hello-jane.doe-7x", "password_contains_context", context);
  // Words under four characters are not context words.
  EXPECT_TRUE(CheckNewPassword("bobsled racing team", context).ok());
}

TEST(CheckNewPasswordTest, AcceptsStrongPassphrases) {
  EXPECT_TRUE(CheckNewPassword("correct horse battery staple", kNoContext).ok());
  EXPECT_TRUE(CheckNewPassword("Violet-Lantern-Orbit-47", kNoContext).ok());
  EXPECT_TRUE(CheckNewPassword("zx9!Kq2#mW7p", kNoContext).ok());
}

TEST(HashPasswordTest, RoundTripsAndRefusesOtherPasswords) {
  const Result<std::string> hash = HashPassword("correct horse battery staple");
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_TRUE(hash->starts_with("$argon2id$")) << *hash;
  EXPECT_NE(hash->find("m=65536"), std::string::npos) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse battery stapler"));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
  EXPECT_FALSE(PasswordNeedsRehash(*hash));
  // A fresh salt each time.
  const Result<std::string> again = HashPassword("correct horse battery staple");
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*hash, *again);
}

TEST(HashPasswordTest, NeverTruncates) {
  const std::string a = Letters(256);
  std::string b = a;
  b[199] = b[199] == 'q' ? 'r' : 'q';
  const Result<std::string> hash = HashPassword(a);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(VerifyPassword(*hash, a));
  EXPECT_FALSE(VerifyPassword(*hash, b));
}

TEST(HashPasswordTest, MalformedOrWeakerHashesAreRefusedOrRehashed) {
  EXPECT_FALSE(VerifyPassword("not a hash", "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword("", "correct horse battery staple"));
  EXPECT_TRUE(PasswordNeedsRehash("not a hash"));
  EXPECT_TRUE(
      PasswordNeedsRehash("$argon2id$v=19$m=4096,t=1,p=1$c2FsdHNhbHRzYWx0$"
                          "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"));
}

}  // namespace
}  // namespace seedcast::app
