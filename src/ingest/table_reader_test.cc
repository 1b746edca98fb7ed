#include "ingest/table_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace seedcast::ingest {
namespace {

std::vector<Record> ReadAll(const std::string& name, const std::string& content) {
  auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path, std::ios::binary) << content;
  auto reader = OpenRecordReader(path.string());
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  std::vector<Record> out;
  Record r;
  while ((*reader)->Next(&r)) out.push_back(r);
  EXPECT_TRUE((*reader)->status().ok()) << (*reader)->status().ToString();
  std::filesystem::remove(path);
  return out;
}

TEST(TableReaderTest, QuotedHeaderSpanningTwoLinesKeepsLineNumbers) {
  auto recs = ReadAll("t1.csv",
                      "handle,\"Followers\ncount\"\n"
                      "\n"
                      "ana,\"1,200\"\n"
                      "bob,\"multi\nline\nbio\"\n"
                      "cy,5\n");
  ASSERT_EQ(recs.size(), 4U);
  EXPECT_EQ(recs[0].line, 1);
  EXPECT_EQ(recs[0].cells[1], "Followers\ncount");
  EXPECT_EQ(recs[1].line, 4);
  EXPECT_EQ(recs[1].cells[1], "1,200");
  EXPECT_EQ(recs[2].line, 5);
  EXPECT_EQ(recs[3].line, 8);
  EXPECT_EQ(recs[3].cells[0], "cy");
}

TEST(TableReaderTest, SniffsSemicolonsAndTabs) {
  auto semi = ReadAll("t2.csv", "handle;followers\nana;1,5K\n");
  ASSERT_EQ(semi.size(), 2U);
  EXPECT_EQ(semi[1].cells[1], "1,5K");
  auto tabs = ReadAll("t3.txt", "handle\tfollowers\nana\t12\n");
  ASSERT_EQ(tabs.size(), 2U);
  EXPECT_EQ(tabs[1].cells.size(), 2U);
}

TEST(TableReaderTest, CrlfLineEndings) {
  auto recs = ReadAll("t4.csv", "handle,followers\r\nana,1\r\n\r\nbob,2\r\n");
  ASSERT_EQ(recs.size(), 3U);
  EXPECT_EQ(recs[2].line, 4);
  EXPECT_EQ(recs[2].cells[1], "2");
}

TEST(TableReaderTest, NdjsonFlattensNestedAccountsAndReportsBadLines) {
  auto recs = ReadAll(
      "t5.ndjson",
      R"({"name":"Ana","country":"BR","accounts":[{"platform":"instagram","handle":"ana","niches":["fashion","beauty"]},{"platform":"tiktok","handle":"ana.tt"}]})"
      "\n{not json}\n"
      R"({"handle":"bob","followers":1200})"
      "\n");
  ASSERT_EQ(recs.size(), 4U);
  EXPECT_EQ(recs[0].line, 1);
  EXPECT_EQ(recs[1].line, 1);
  auto find = [](const Record& r, const std::string& key) {
    for (size_t i = 0; i < r.keys.size(); ++i) {
      if (r.keys[i] == key) return r.cells[i];
    }
    return std::string("<missing>");
  };
  EXPECT_EQ(find(recs[0], "creator country"), "BR");
  // Arrays stay JSON, so items holding commas (captions) survive; list fields parse them.
  EXPECT_EQ(find(recs[0], "niches"), R"(["fashion","beauty"])");
  EXPECT_EQ(find(recs[1], "handle"), "ana.tt");
  EXPECT_EQ(recs[2].line, 2);
  EXPECT_EQ(recs[2].error, "invalid JSON");
  EXPECT_EQ(find(recs[3], "followers"), "1200");
}

}  // namespace
}  // namespace seedcast::ingest
