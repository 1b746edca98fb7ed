#include "measure/utm.h"

#include <gtest/gtest.h>

namespace seedcast::measure {
namespace {

TEST(Utm, AddsMissingParametersAndKeepsTheBrandsOwn) {
  auto out = AddUtm("https://shop.example/p/serum?utm_source=newsletter&color=red#top",
                    {{"source", "seedcast"}, {"medium", "creator"}, {"campaign", "spring glow"}});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(
      *out,
      "https://shop.example/p/serum?utm_source=newsletter&color=red&utm_campaign=spring%20glow"
      "&utm_medium=creator#top");
}

TEST(Utm, RefusesWhatIsNotAWebAddress) {
  EXPECT_EQ(AddUtm("shop.example/p", {}).status().reason(), "bad_url");
  EXPECT_EQ(AddUtm("javascript:alert(1)", {}).status().reason(), "bad_url");
  EXPECT_EQ(AddUtm("ftp://shop.example/p", {}).status().reason(), "bad_url");
  EXPECT_TRUE(CheckLandingUrl("http://shop.example").ok());
}

TEST(Utm, ReadsUtmParametersBack) {
  Utm utm = UtmOfUrl("/products/serum?utm_source=seedcast&utm_content=a12&x=1&utm_term=");
  ASSERT_EQ(utm.size(), 2U);
  EXPECT_EQ(utm["source"], "seedcast");
  EXPECT_EQ(utm["content"], "a12");
  EXPECT_TRUE(UtmOfUrl("not a url %%").empty());
}

}  // namespace
}  // namespace seedcast::measure
