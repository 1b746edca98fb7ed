#include "common/iso_time.h"

#include <gtest/gtest.h>

namespace seedcast {
namespace {

TEST(IsoTime, ParsesDatesTimesAndOffsets) {
  EXPECT_EQ(*ParseIsoTimeMs("1970-01-01"), 0);
  EXPECT_EQ(*ParseIsoTimeMs("2026-11-05T10:00:00Z"), 1'793'872'800'000);
  EXPECT_EQ(*ParseIsoTimeMs("2026-11-05 10:00"), 1'793'872'800'000);
  EXPECT_EQ(*ParseIsoTimeMs("2026-11-05T11:00:00+01:00"), 1'793'872'800'000);
  EXPECT_EQ(*ParseIsoTimeMs("2026-11-05T05:00:00-0500"), 1'793'872'800'000);
  EXPECT_EQ(*ParseIsoTimeMs("2026-11-05T10:00:00.250Z"), 1'793'872'800'250);
  EXPECT_EQ(*ParseIsoTimeMs("2024-02-29"), 1'709'164'800'000);
  EXPECT_EQ(FormatIsoTime(1'793'872'800'250), "2026-11-05T10:00:00Z");
  EXPECT_EQ(FormatIsoTime(-1000), "1969-12-31T23:59:59Z");
}

TEST(IsoTime, RejectsWhatIsNotATime) {
  for (const char* bad : {"", "2026", "2026-13-01", "2026-02-30", "2025-02-29", "2026-11-05T25:00",
                          "2026-11-05T10:00:00+2", "2026-11-05T10:00:00Zjunk", "05/11/2026",
                          "2026-11-05T10:00:00."}) {
    Result<int64_t> r = ParseIsoTimeMs(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find("ISO 8601"), std::string::npos) << bad;
    }
  }
}

}  // namespace
}  // namespace seedcast
