#include "model/geo.h"

#include <gtest/gtest.h>

namespace seedcast::model {
namespace {

TEST(GeoTest, CountriesByCodeNameAndAlias) {
  const Geo& g = Geo::Default();
  EXPECT_EQ(g.CountryCode("US"), "US");
  EXPECT_EQ(g.CountryCode("united states"), "US");
  EXPECT_EQ(g.CountryCode("U.S.A."), "US");
  EXPECT_EQ(g.CountryCode("UK"), "GB");
  EXPECT_EQ(g.CountryCode("Deutschland"), "DE");
  EXPECT_EQ(g.CountryCode("España"), "ES");
  EXPECT_EQ(g.CountryCode("Brazil"), "BR");
  EXPECT_EQ(g.CountryCode("Hong Kong"), "HK");
  EXPECT_FALSE(g.CountryCode("Atlantis").has_value());
  EXPECT_EQ(g.CountryName("DE"), "Germany");
}

TEST(GeoTest, LanguagesByCodeAndName) {
  const Geo& g = Geo::Default();
  EXPECT_EQ(g.LanguageCode("en"), "en");
  EXPECT_EQ(g.LanguageCode("English"), "en");
  EXPECT_EQ(g.LanguageCode("Español"), "es");
  EXPECT_EQ(g.LanguageCode("pt-BR"), "pt");
  EXPECT_EQ(g.LanguageCode("Deutsch"), "de");
  EXPECT_FALSE(g.LanguageCode("Klingonese").has_value());
}

}  // namespace
}  // namespace seedcast::model
