#include "common/iso_time.h"

#include <fmt/format.h>

#include <charconv>
#include <chrono>

namespace seedcast {
namespace {

// Reads exactly `digits` decimal digits at `*pos`.
bool Digits(std::string_view s, size_t* pos, size_t digits, int* out) {
  if (*pos + digits > s.size()) return false;
  int value = 0;
  for (size_t k = 0; k < digits; ++k) {
    const char ch = s[*pos + k];
    if (ch < '0' || ch > '9') return false;
    value = value * 10 + (ch - '0');
  }
  *pos += digits;
  *out = value;
  return true;
}

bool Expect(std::string_view s, size_t* pos, char ch) {
  if (*pos >= s.size() || s[*pos] != ch) return false;
  ++*pos;
  return true;
}

}  // namespace

Result<int64_t> ParseIsoTimeMs(std::string_view text) {
  using namespace std::chrono;
  auto bad = [&](std::string_view why) {
    return InvalidArgument(fmt::format("\"{}\" is not an ISO 8601 time ({})", text, why));
  };
  size_t pos = 0;
  int y = 0;
  int mo = 0;
  int d = 0;
  if (!Digits(text, &pos, 4, &y) || !Expect(text, &pos, '-') || !Digits(text, &pos, 2, &mo) ||
      !Expect(text, &pos, '-') || !Digits(text, &pos, 2, &d)) {
    return bad("expected YYYY-MM-DD");
  }
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)},
                            day{static_cast<unsigned>(d)}};
  if (!date.ok()) return bad("no such date");
  int h = 0;
  int mi = 0;
  int sec = 0;
  int ms = 0;
  int offset_min = 0;
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == 't' || text[pos] == ' ')) {
    ++pos;
    if (!Digits(text, &pos, 2, &h) || !Expect(text, &pos, ':') || !Digits(text, &pos, 2, &mi)) {
      return bad("expected hh:mm after the date");
    }
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!Digits(text, &pos, 2, &sec)) return bad("expected seconds as ss");
      if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
        ++pos;
        int scale = 100;
        const size_t start = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
          ms += (text[pos] - '0') * scale;
          scale /= 10;
          ++pos;
        }
        if (pos == start) return bad("expected digits after the decimal point");
      }
    }
    if (h > 23 || mi > 59 || sec > 60) return bad("time of day out of range");
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
      ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      const int sign = text[pos] == '-' ? -1 : 1;
      ++pos;
      int oh = 0;
      int om = 0;
      if (!Digits(text, &pos, 2, &oh)) return bad("expected an offset as +hh:mm");
      Expect(text, &pos, ':');
      if (!Digits(text, &pos, 2, &om) || oh > 23 || om > 59) return bad("bad offset");
      offset_min = sign * (oh * 60 + om);
    }
  }
  if (pos != text.size()) return bad(fmt::format("unexpected \"{}\"", text.substr(pos)));
  const int64_t days = sys_days(date).time_since_epoch().count();
  const int64_t seconds =
      days * 86400 + int64_t{h} * 3600 + int64_t{mi} * 60 + sec - int64_t{offset_min} * 60;
  return seconds * 1000 + ms;
}

std::string FormatIsoTime(int64_t ms) {
  using namespace std::chrono;
  const sys_seconds t{seconds{ms >= 0 ? ms / 1000 : (ms - 999) / 1000}};
  const sys_days day_start = floor<days>(t);
  const year_month_day date{day_start};
  const hh_mm_ss<seconds> time{t - day_start};
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     time.hours().count(), time.minutes().count(), time.seconds().count());
}

}  // namespace seedcast
