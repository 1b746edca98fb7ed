#include "search/range_bitmaps.h"

#include <gtest/gtest.h>

#include <vector>

namespace seedcast::search {
namespace {

std::vector<uint32_t> Slots(const Roaring& r) {
  std::vector<uint32_t> out(r.cardinality());
  r.toUint32Array(out.data());
  return out;
}

// Slot s holds value values[s].
RangeBitmaps Filled(const std::vector<uint32_t>& values) {
  RangeBitmaps r({0, 10, 20, 50});
  for (uint32_t s = 0; s < values.size(); ++s) r.Add(s, values[s]);
  return r;
}

TEST(RangeBitmapsTest, FloorAndCeilFindTheNearestGridValues) {
  RangeBitmaps r({10, 20, 50});
  EXPECT_FALSE(r.Floor(9).has_value());
  EXPECT_EQ(r.Floor(10), 0U);
  EXPECT_EQ(r.Floor(49), 1U);
  EXPECT_EQ(r.Floor(1000), 2U);
  EXPECT_EQ(r.Ceil(0), 0U);
  EXPECT_EQ(r.Ceil(20), 1U);
  EXPECT_EQ(r.Ceil(21), 2U);
  EXPECT_FALSE(r.Ceil(51).has_value());
}

TEST(RangeBitmapsTest, BoundsOnTheGridAreExact) {
  const std::vector<uint32_t> values = {0, 5, 10, 15, 20, 20, 35, 50, 70};
  RangeBitmaps r = Filled(values);
  BitmapPlan plan;
  plan.AddRange(r, 10, 20);
  EXPECT_TRUE(plan.exact);
  Roaring all;
  all.addRange(0, values.size());
  EXPECT_EQ(Slots(plan.Apply(all)), (std::vector<uint32_t>{2, 3, 4, 5}));
}

TEST(RangeBitmapsTest, BoundsOffTheGridNarrowToASuperset) {
  const std::vector<uint32_t> values = {0, 5, 10, 15, 20, 20, 35, 50, 70};
  RangeBitmaps r = Filled(values);
  BitmapPlan plan;
  plan.AddRange(r, 12, 40);  // slots 3..6 match; 10 <= v < 50 is what the grid can say
  EXPECT_FALSE(plan.exact);
  Roaring all;
  all.addRange(0, values.size());
  EXPECT_EQ(Slots(plan.Apply(all)), (std::vector<uint32_t>{2, 3, 4, 5, 6}));
}

TEST(RangeBitmapsTest, RemoveAndRebuildAgreeWithAdds) {
  RangeBitmaps r = Filled({0, 5, 10, 15, 20, 20, 35, 50, 70});
  r.Remove(8, 70);
  r.Add(8, 20);
  r.Remove(0, 0);
  RangeBitmaps built({0, 10, 20, 50});
  const std::vector<uint32_t> values = {0, 5, 10, 15, 20, 20, 35, 50, 20};
  built.Clear();
  for (uint32_t s = 1; s < values.size(); ++s) built.Append(s, values[s]);  // slot 0 removed
  built.Finish();
  for (size_t i = 0; i < r.grid().size(); ++i) {
    EXPECT_EQ(Slots(r.AtLeast(i)), Slots(built.AtLeast(i))) << r.grid()[i];
    EXPECT_EQ(Slots(r.Equal(i)), Slots(built.Equal(i))) << r.grid()[i];
  }
  EXPECT_EQ(Slots(r.Equal(2)), (std::vector<uint32_t>{4, 5, 8}));
}

TEST(RangeBitmapsTest, PartsBuiltFromSeparateSlotsMergeIntoTheWhole) {
  // Slot s holds s % 60; the parts hold slots below and from 65,536 (two roaring containers).
  constexpr uint32_t kSlots = 70'000;
  RangeBitmaps whole({0, 10, 20, 50});
  RangeBitmaps low({0, 10, 20, 50});
  RangeBitmaps high({0, 10, 20, 50});
  for (RangeBitmaps* r : {&whole, &low, &high}) r->Clear();
  for (uint32_t s = 0; s < kSlots; ++s) {
    whole.Append(s, s % 60);
    (s < 65'536 ? low : high).Append(s, s % 60);
  }
  for (RangeBitmaps* r : {&whole, &low, &high}) r->Finish();
  low.Absorb(high);
  for (size_t i = 0; i < whole.grid().size(); ++i) {
    EXPECT_EQ(Slots(low.AtLeast(i)), Slots(whole.AtLeast(i))) << whole.grid()[i];
    EXPECT_EQ(Slots(low.Equal(i)), Slots(whole.Equal(i))) << whole.grid()[i];
  }
  EXPECT_EQ(whole.AtLeast(3).cardinality(), kSlots / 60 * 10);  // s % 60 >= 50
}

}  // namespace
}  // namespace seedcast::search
