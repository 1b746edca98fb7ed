#include "app/secrets.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

namespace seedcast::app {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kNowMs = 1'780'000'000'000;
constexpr std::string_view kContext = "users.email";

// A key file name of its own under the temporary directory, removed at the end of the test.
class KeyRingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    path_ = (fs::temp_directory_path() / ("seedcast_keys_" + std::to_string(::getpid()) + "_" +
                                          std::to_string(counter++) + ".json"))
                .string();
    fs::remove(path_);
  }
  void TearDown() override { fs::remove(path_); }

  KeyRing LoadOrDie() {
    Result<KeyRing> ring = KeyRing::Load(path_);
    EXPECT_TRUE(ring.ok()) << ring.status().ToString();
    return std::move(ring).value();
  }

  std::string path_;
};

TEST_F(KeyRingTest, InitCreatesAPrivateFileOnce) {
  ASSERT_TRUE(KeyRing::Init(path_, kNowMs).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  const Status again = KeyRing::Init(path_, kNowMs);
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  EXPECT_NE(again.message().find(path_), std::string::npos) << again.message();
  EXPECT_EQ(LoadOrDie().current_id(), 1);
}

TEST_F(KeyRingTest, LoadExplainsWhatIsWrong) {
  const Result<KeyRing> missing = KeyRing::Load(path_);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("seedcast keys init"), std::string::npos);
  EXPECT_NE(missing.status().message().find(path_), std::string::npos);

  ASSERT_TRUE(KeyRing::Init(path_, kNowMs).ok());
  fs::permissions(path_, fs::perms::others_read, fs::perm_options::add);
  const Result<KeyRing> readable = KeyRing::Load(path_);
  EXPECT_EQ(readable.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(readable.status().message().find("chmod 600"), std::string::npos);

  fs::permissions(path_, fs::perms::owner_read | fs::perms::owner_write);
  std::ofstream(path_) << R"({"format": "seedcast-keys-1", "current": 1,
    "keys": [{"id": 1, "created_at_ms": 0, "key": "c2hvcnQ="}]})";
  const Result<KeyRing> short_key = KeyRing::Load(path_);
  EXPECT_EQ(short_key.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(short_key.status().message().find("32 bytes"), std::string::npos);

  std::ofstream(path_) << "{not json";
  EXPECT_EQ(KeyRing::Load(path_).status().code(), StatusCode::kInvalidArgument);
  std::ofstream(path_) << R"({"format": "other", "current": 1, "keys": []})";
  EXPECT_EQ(KeyRing::Load(path_).status().reason(), "key_file_invalid");
}

TEST_F(KeyRingTest, SealsAndOpens) {
  ASSERT_TRUE(KeyRing::Init(path_, kNowMs).ok());
  const KeyRing ring = LoadOrDie();
  const Result<std::string> sealed = ring.Seal("jane.doe@example.com", kContext);
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_TRUE(sealed->starts_with("sc1:1:")) << *sealed;
  EXPECT_EQ(sealed->find("jane"), std::string::npos);
  EXPECT_EQ(sealed->find("example"), std::string::npos);
  EXPECT_TRUE(ring.SealedWithCurrent(*sealed));
  const Result<std::string> opened = ring.Open(*sealed, kContext);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, "jane.doe@example.com");
  const Result<std::string> again = ring.Seal("jane.doe@example.com", kContext);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*sealed, *again);  // a fresh nonce each time
  const Result<std::string> empty = ring.Seal("", kContext);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*ring.Open(*empty, kContext), "");
}

TEST_F(KeyRingTest, OpenRefusesAnotherContextAlteredOrMalformedText) {
  ASSERT_TRUE(KeyRing::Init(path_, kNowMs).ok());
  const KeyRing ring = LoadOrDie();
  const std::string sealed = *ring.Seal("jane.doe@example.com", kContext);
  const Status other_context = ring.Open(sealed, "users.name").status();
  EXPECT_EQ(other_context.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(other_context.reason(), "sealed_corrupt");
  for (size_t at : {size_t{6}, sealed.size() / 2, sealed.size() - 1}) {
    std::string tampered = sealed;
    tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
    EXPECT_EQ(ring.Open(tampered, kContext).status().reason(), "sealed_corrupt") << at;
  }
  for (const char* bad : {"", "sc1:", "sc1:1:", "sc2:1:AAAA", "sc1:x:AAAA", "sc1:1:AAAA",
                          "sc1:1:!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"}) {
    EXPECT_EQ(ring.Open(bad, kContext).status().reason(), "sealed_corrupt") << bad;
  }
  const std::string unknown = "sc1:7:" + sealed.substr(6);
  const Status status = ring.Open(unknown, kContext).status();
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.reason(), "sealed_key_unknown");
}

TEST_F(KeyRingTest, BlindIndexIsDeterministicPerKey) {
  ASSERT_TRUE(KeyRing::Init(path_, kNowMs).ok());
  const std::string first = LoadOrDie().BlindIndex("jane.doe@example.com");
  EXPECT_EQ(first.size(), 64U);
  EXPECT_EQ(first.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(LoadOrDie().BlindIndex("jane.doe@example.com"), first);
  EXPECT_NE(LoadOrDie().BlindIndex("john.doe@example.com"), first);

  ASSERT_TRUE(KeyRing::AddKey(path_, kNowMs + 1).ok());
  const KeyRing ring = LoadOrDie();
  const std::string second = ring.BlindIndex("jane.doe@example.com");
  EXPECT_NE(second, first);
  EXPECT_EQ(ring.BlindIndexes("jane.doe@example.com"), (std::vector<std::string>{second, first}));
}

TEST_F(KeyRingTest, RotationKeepsOldValuesOpenUntilRetired) {
  ASSERT_TRUE(KeyRing::Init(path_, kNowMs).ok());
  const std::string old_sealed = *LoadOrDie().Seal("jane.doe@example.com", kContext);

  ASSERT_TRUE(KeyRing::AddKey(path_, kNowMs + 1).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  KeyRing ring = LoadOrDie();
  EXPECT_EQ(ring.current_id(), 2);
  EXPECT_FALSE(ring.SealedWithCurrent(old_sealed));
  EXPECT_EQ(*ring.Open(old_sealed, kContext), "jane.doe@example.com");
  const std::string new_sealed = *ring.Seal("jane.doe@example.com", kContext);
  EXPECT_TRUE(new_sealed.starts_with("sc1:2:")) << new_sealed;
  EXPECT_TRUE(ring.SealedWithCurrent(new_sealed));

  EXPECT_EQ(KeyRing::RetireKeysBefore(path_, 3).reason(), "key_current");
  ASSERT_TRUE(KeyRing::RetireKeysBefore(path_, 2).ok());
  ring = LoadOrDie();
  EXPECT_EQ(ring.BlindIndexes("x").size(), 1U);
  EXPECT_EQ(ring.Open(old_sealed, kContext).status().reason(), "sealed_key_unknown");
  EXPECT_EQ(*ring.Open(new_sealed, kContext), "jane.doe@example.com");
}

}  // namespace
}  // namespace seedcast::app
