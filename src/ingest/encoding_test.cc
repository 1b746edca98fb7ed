#include "ingest/encoding.h"

#include <gtest/gtest.h>

namespace seedcast::ingest {
namespace {

std::string Utf16Be(std::string_view ascii) {
  std::string out;
  for (char c : ascii) {
    out.push_back('\0');
    out.push_back(c);
  }
  return out;
}

TEST(EncodingTest, MarksAndValidUtf8) {
  EXPECT_EQ(DetectEncoding("handle,followers\nana,1\n").Describe(), "UTF-8");
  EXPECT_EQ(DetectEncoding("\xEF\xBB\xBFhandle\n").Describe(), "UTF-8 (byte-order mark)");
  EXPECT_EQ(DetectEncoding("\xFF\xFEh\0a\0").Describe(), "UTF-16LE (byte-order mark)");
  EXPECT_EQ(DetectEncoding(Utf16Be("handle,followers\nana,100\n")).Describe(),
            "UTF-16BE (detected)");
  // A multi-byte sequence cut by the end of the sample is not a sign of another encoding.
  EXPECT_EQ(DetectEncoding("name\nZo\xC3\xAB\nJos\xC3").name, "UTF-8");
  // Mostly valid UTF-8 with one broken byte stays UTF-8: the byte is repaired.
  EXPECT_EQ(DetectEncoding("Zo\xC3\xAB,Jos\xC3\xA9,\xFF,Ren\xC3\xA9\n").name, "UTF-8");
}

TEST(EncodingTest, LegacyCodePagesAreDetectedAndDecoded) {
  // "Zoë Crème, José, 5 €" in Windows-1252.
  std::string latin = "name,city\nZo\xEB Cr\xE8me,Par\xEDs\nJos\xE9,M\xE1laga 5 \x80\n";
  Encoding e = DetectEncoding(latin);
  EXPECT_TRUE(e.guess);
  EXPECT_EQ(e.name, "windows-1252");
  EXPECT_EQ(*DecodeToUtf8(latin, e), "name,city\nZoë Crème,París\nJosé,Málaga 5 €\n");
  // Russian in Windows-1251: "Привет, мир" and more words, for the detector.
  std::string cyrillic =
      "\xCF\xF0\xE8\xE2\xE5\xF2, \xEC\xE8\xF0! \xCC\xFB \xEF\xF0\xEE\xE4\xE0\xE5\xEC "
      "\xEA\xEE\xF1\xEC\xE5\xF2\xE8\xEA\xF3 \xE8 \xEE\xE4\xE5\xE6\xE4\xF3 \xE4\xEB\xFF "
      "\xE2\xF1\xE5\xE9 \xF1\xE5\xEC\xFC\xE8.\n";
  e = DetectEncoding(cyrillic);
  EXPECT_EQ(e.name, "windows-1251");
  EXPECT_TRUE(DecodeToUtf8(cyrillic, e)->starts_with("Привет, мир! Мы"));
  // An undefined byte of Windows-1252 (0x81) is no character: it becomes U+FFFD.
  EXPECT_EQ(*DecodeToUtf8("a\x81z", Encoding{"windows-1252", false, true}), "a\xEF\xBF\xBDz");
}

TEST(EncodingTest, RepairAndCount) {
  std::string s = "ok \xC3\xA9 \xFF bad \xC3";
  EXPECT_EQ(RepairUtf8(&s), 2);
  EXPECT_EQ(s, "ok \xC3\xA9 \xEF\xBF\xBD bad \xEF\xBF\xBD");
  EXPECT_EQ(CountReplacements(s), 2);
  std::string clean = "Zoë";
  EXPECT_EQ(RepairUtf8(&clean), 0);
  EXPECT_EQ(clean, "Zoë");
}

}  // namespace
}  // namespace seedcast::ingest
