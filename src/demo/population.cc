#include "demo/population.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>

#include "demo/quality_signals.h"
#include "model/benchmarks.h"
#include "model/platform.h"

namespace seedcast::demo {
namespace {

using model::Account;
using model::Creator;

// Reference sample quantiles (1%, 10%, 25%, 50%, 75%, 90%, 99%).
constexpr std::array<double, 7> kQuantileLevels = {0.01, 0.10, 0.25, 0.50, 0.75, 0.90, 0.99};
constexpr std::array<double, 7> kFollowingQuantiles = {35, 291, 557, 975, 1'829, 3'604, 7'443};
constexpr std::array<double, 7> kPostQuantiles = {243, 367, 538, 937, 1'732, 3'031, 8'310};
// Followers: the same quantiles plus the tier boundaries, whose levels follow from the reference
// tier shares (nano 37.4%, micro 46.5%, macro 13.9%, mega 2.2%).
constexpr std::array<double, 10> kFollowerLevels = {0.01, 0.10,  0.25, 0.374, 0.50,
                                                    0.75, 0.839, 0.90, 0.978, 0.99};
constexpr std::array<double, 10> kFollowerQuantiles = {
    1'065, 1'870, 4'952, 10'000, 16'125, 53'562, 100'000, 179'635, 1'000'000, 2'085'034};
constexpr double kMedianFollowers = 16'125;

struct NicheShape {
  const char* niche;
  double share;
  double median_followers;
  double female_share;  // audience; an assumption, not from the reference sample
};
constexpr std::array<NicheShape, 9> kNiches = {{
    {"fashion", 0.351, 23'560, 0.74},
    {"other", 0.169, 8'721, 0.50},
    {"travel", 0.124, 13'138, 0.56},
    {"family", 0.120, 11'191, 0.80},
    {"food", 0.105, 12'554, 0.61},
    {"beauty", 0.045, 18'259, 0.86},
    {"interior", 0.035, 19'957, 0.72},
    {"fitness", 0.033, 28'290, 0.52},
    {"pet", 0.017, 20'755, 0.66},
}};

struct CountryShape {
  const char* code;
  double share;
  const char* language;
};
// An assumption about a marketplace's creator base, not a measured distribution.
constexpr std::array<CountryShape, 20> kCountries = {{
    {"US", 0.30, "en"},  {"GB", 0.07, "en"},  {"BR", 0.08, "pt"}, {"IN", 0.06, "en"},
    {"ID", 0.04, "id"},  {"DE", 0.05, "de"},  {"FR", 0.04, "fr"}, {"ES", 0.04, "es"},
    {"IT", 0.04, "it"},  {"MX", 0.04, "es"},  {"CA", 0.03, "en"}, {"AU", 0.025, "en"},
    {"TR", 0.025, "tr"}, {"PH", 0.025, "en"}, {"NL", 0.02, "nl"}, {"PL", 0.02, "pl"},
    {"JP", 0.02, "ja"},  {"KR", 0.01, "ko"},  {"AR", 0.02, "es"}, {"SE", 0.015, "sv"},
}};

constexpr std::array<const char*, 24> kFirstLatin = {
    "ana",  "maria", "sofia", "lucas", "emma", "liam",  "olivia", "noah",
    "mia",  "leo",   "chloe", "mateo", "lena", "julia", "marco",  "sara",
    "ines", "tom",   "zoe",   "hugo",  "nina", "pedro", "clara",  "max"};
constexpr std::array<const char*, 20> kLastLatin = {
    "silva",   "smith",    "garcia", "muller", "rossi", "martin", "lopez",
    "jansen",  "kowalski", "yilmaz", "santos", "brown", "dubois", "ferrari",
    "schmidt", "moreau",   "costa",  "novak",  "reyes", "berg"};
struct ScriptName {
  const char* display;
  const char* latin;
};
constexpr std::array<ScriptName, 6> kJapanese = {{{"さくら", "sakura"},
                                                  {"はると", "haruto"},
                                                  {"ゆい", "yui"},
                                                  {"蓮", "ren"},
                                                  {"美咲", "misaki"},
                                                  {"陽翔", "hinata"}}};
constexpr std::array<ScriptName, 5> kKorean = {{{"지우", "jiwoo"},
                                                {"민준", "minjun"},
                                                {"서연", "seoyeon"},
                                                {"하은", "haeun"},
                                                {"도윤", "doyun"}}};
constexpr std::array<const char*, 10> kEmoji = {"✨", "🌸", "🌿", "☕",      "📸",
                                                "💄", "🐶", "🍜", "✈️", "💪"};

struct NicheWords {
  const char* niche;
  std::array<const char*, 4> phrases;
  std::array<const char*, 3> hashtags;
};
constexpr std::array<NicheWords, 9> kNicheWords = {{
    {"fashion",
     {"everyday outfits", "thrifted style", "capsule wardrobe", "streetwear drops"},
     {"#ootd", "#style", "#fashion"}},
    {"other",
     {"life lately", "random thoughts", "weekend projects", "my little corner"},
     {"#life", "#daily", "#vibes"}},
    {"travel",
     {"slow travel", "hidden beaches", "city guides", "backpacking on a budget"},
     {"#travel", "#wanderlust", "#travelgram"}},
    {"family",
     {"mom of three", "toddler life", "family adventures", "parenting honestly"},
     {"#momlife", "#family", "#parenting"}},
    {"food",
     {"easy weeknight recipes", "plant-based cooking", "street food hunter", "baking every sunday"},
     {"#foodie", "#recipes", "#homecooking"}},
    {"beauty",
     {"skincare for sensitive skin", "drugstore makeup", "clean beauty", "nail art"},
     {"#skincare", "#makeup", "#beauty"}},
    {"interior",
     {"small apartment decor", "DIY home projects", "scandi interiors", "plant-filled rooms"},
     {"#homedecor", "#interiordesign", "#diy"}},
    {"fitness",
     {"home workouts", "marathon training", "strength coach", "yoga every day"},
     {"#fitness", "#workout", "#gym"}},
    {"pet",
     {"one golden retriever", "rescue cats", "dog training tips", "life with pets"},
     {"#dogsofinstagram", "#catlife", "#pets"}},
}};

// Recent captions by niche: the words vary in inflection ("recipe", "recipes", "cooking") so that
// stemming matters, and hashtags are mixed in as creators write them.
constexpr std::array<std::array<const char*, 6>, 9> kCaptions = {{
    {"New drop from my favourite thrift store #thrifted #ootd",
     "Styling one blazer three ways for the office", "Spring outfits under $50 #style",
     "Closet clean-out: what I kept and why", "Matching sneakers to every outfit #streetwear",
     "Tried the oversized trend, honest review #fashion"},
    {"Sunday reset and a long walk #weekend", "Some photos from this month #photodump",
     "Trying to read more books this year", "Coffee, rain, and a new playlist #vibes",
     "Little wins this week #daily", "Moved apartments! More soon"},
    {"Three days in Lisbon on a budget #travel", "Hidden beaches nobody told you about",
     "Packing list for two weeks with one backpack #backpacking", "Sunrise hike was worth it",
     "City guide: where to eat in Mexico City #travelgram", "Slow mornings in Kyoto #wanderlust"},
    {"Our toddler tried sushi for the first time #toddlerlife",
     "Family road trip essentials #familytime", "Honest parenting: the bedtime routine",
     "Baking cookies with the kids #momlife", "School mornings are chaos",
     "Weekend camping with the family"},
    {"Easy vegan curry in 20 minutes #vegan #recipes", "Baking sourdough every Sunday #baking",
     "My favourite pasta recipe, finally written down", "Street food tour: best tacos #foodie",
     "Meal prep for the week #mealprep", "Cooking a plant-based dinner for friends #homecooking"},
    {"My skincare routine for sensitive skin #skincare", "Drugstore makeup that actually works",
     "Glass skin in three steps #kbeauty", "Nail art for the holidays #nails",
     "Testing a new vitamin C serum #skincareroutine", "Everyday makeup look #makeup"},
    {"Small apartment makeover on a budget #homedecor", "DIY shelves from scrap wood #diy",
     "Scandi living room tour #interiordesign", "Plants that survive low light",
     "Repainted the kitchen cabinets myself", "Cozy bedroom refresh #homestyle"},
    {"Full-body home workout, no equipment #workout", "Marathon training week 8 #running",
     "Strength training basics for beginners #fitness", "Morning yoga flow #yoga",
     "Protein-packed breakfast after the gym #gym", "Recovery day: stretching and a long walk"},
    {"Training my golden retriever to fetch #dogsofinstagram",
     "Rescue cat's first week home #catlife", "Best toys for puppies #puppy",
     "Walks with the dog at sunset #dogs", "Grooming day at home #pets",
     "Adopted a second cat! #adoptdontshop"},
}};

struct LanguageCaptions {
  const char* language;
  std::array<const char*, 3> captions;
};
constexpr std::array<LanguageCaptions, 8> kLocalCaptions = {{
    {"es",
     {"Nuevas recetas para la semana #recetas", "Mi rutina de mañana #rutina",
      "Viajando por la costa #viajes"}},
    {"pt",
     {"Receitas fáceis para o jantar #receitas", "Treino em casa hoje #treino",
      "Look do dia #lookdodia"}},
    {"de",
     {"Neue Rezepte für die Woche #rezepte", "Mein Wohnzimmer nach dem Umbau #wohnen",
      "Wandern in den Alpen #wandern"}},
    {"fr",
     {"Ma routine beauté du matin #beauté", "Recettes faciles du dimanche #recettes",
      "Week-end à Lyon #voyage"}},
    {"it",
     {"La mia ricetta della nonna #ricette", "Outfit per l'ufficio #moda",
      "Weekend al lago #viaggi"}},
    {"ja",
     {"今日の朝ごはん #朝ごはん", "新しいスキンケアを試しました #スキンケア", "京都の旅 #旅行"}},
    {"ko", {"오늘의 메이크업 #메이크업", "주말 카페 투어 #카페", "홈트레이닝 루틴 #운동"}},
    {"tr", {"Bugünün tarifi #tarif", "Hafta sonu gezisi #seyahat", "Günün kombini #moda"}},
}};

constexpr std::array<const char*, 4> kBotCaptions = {
    "follow for follow #f4f #followback", "like4like #like4like #instagood",
    "check my bio #giveaway", "dm for promo #promo #followme"};

std::vector<std::string> MakeCaptions(Random& r, size_t niche_index, const std::string& language,
                                      bool bot) {
  std::vector<std::string> out;
  const size_t count = 2 + r.Below(3);
  for (size_t i = 0; i < count; ++i) {
    if (bot) {
      out.emplace_back(kBotCaptions[r.Below(kBotCaptions.size())]);
      continue;
    }
    const LanguageCaptions* local = nullptr;
    for (const LanguageCaptions& l : kLocalCaptions) {
      if (language == l.language) local = &l;
    }
    if (local != nullptr && r.Chance(0.5)) {
      out.emplace_back(local->captions[r.Below(local->captions.size())]);
    } else {
      const auto& pool = kCaptions[niche_index];
      std::string caption = pool[r.Below(pool.size())];
      if (r.Chance(0.08)) caption += " #ad";
      out.push_back(std::move(caption));
    }
  }
  return out;
}

// Interpolates log10 of a quantile table at level u, with a tail beyond the first and last points
// that reaches `tail_log10` above the last one.
template <size_t N>
double LogQuantile(const std::array<double, N>& levels, const std::array<double, N>& q, double u,
                   double tail_log10) {
  if (u <= levels.front()) {
    double lo = std::log10(q.front()) - 0.35;
    return lo + (std::log10(q.front()) - lo) * (u / levels.front());
  }
  if (u >= levels.back()) {
    double v = (u - levels.back()) / (1.0 - levels.back());
    return std::log10(q.back()) + tail_log10 * v * v;
  }
  for (size_t i = 1; i < N; ++i) {
    if (u <= levels[i]) {
      double t = (u - levels[i - 1]) / (levels[i] - levels[i - 1]);
      return std::log10(q[i - 1]) + t * (std::log10(q[i]) - std::log10(q[i - 1]));
    }
  }
  return std::log10(q.back());
}

int64_t Round(double v) { return static_cast<int64_t>(std::llround(std::max(0.0, v))); }

std::string Base36(uint64_t v) {
  const char* digits = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string out;
  do {
    out.insert(out.begin(), digits[v % 36]);
    v /= 36;
  } while (v > 0);
  return out;
}

template <typename T, size_t N>
const T& Pick(Random& r, const std::array<T, N>& items) {
  return items[r.Below(N)];
}

void FillAudience(Random& r, const std::string& home, double female_share, bool bought,
                  model::Audience* audience) {
  double home_share = std::clamp(r.Normal(0.62, 0.12), 0.25, 0.92);
  if (bought) home_share *= 0.45;  // purchased followers come from follower farms abroad
  audience->countries[home] = home_share;
  double left = 1.0 - home_share;
  std::array<const char*, 4> others = {"US", "GB", "BR", "IN"};
  if (bought) others = {"IN", "ID", "BD", "PK"};
  for (const char* c : others) {
    if (c == home || left < 0.02) continue;
    double s = left * r.Uniform(0.15, 0.45);
    audience->countries[c] = std::round(s * 1000) / 1000;
    left -= audience->countries[c];
  }
  double female = std::clamp(r.Normal(female_share, 0.08), 0.05, 0.97);
  audience->genders["female"] = std::round(female * 1000) / 1000;
  audience->genders["male"] = std::round((1 - female) * 1000) / 1000 - 0.001;
  std::array<double, 6> ages = {0.06, 0.30, 0.34, 0.17, 0.08, 0.05};
  double total = 0;
  for (double& a : ages) {
    a *= std::exp(r.Normal(0, 0.25));
    total += a;
  }
  for (size_t i = 0; i < ages.size(); ++i) {
    audience->ages[model::AgeBands()[i]] = std::floor(ages[i] / total * 1000) / 1000;
  }
  for (auto& [code, share] : audience->countries) share = std::round(share * 1000) / 1000;
}

}  // namespace

// "Now" for the synthetic follower histories: they are not stored, so a fixed day serves.
constexpr int64_t kSignalsNowMs = 1'767'225'600'000;  // 2026-01-01

PopulationGenerator::PopulationGenerator(PopulationOptions options)
    : options_(options), random_(options.seed), quality_random_(options.seed ^ 0x51A11717ULL) {
  Result<quality::AccountClassifier> classifier = quality::AccountClassifier::BuiltIn();
  assert(classifier.ok() && "the built-in classifier is compiled in");
  classifier_ = std::make_unique<quality::AccountClassifier>(std::move(*classifier));
  scorer_ = std::make_unique<quality::QualityScorer>(classifier_.get(), quality::ScoreOptions{});
}

PopulationGenerator::~PopulationGenerator() = default;

bool PopulationGenerator::Next(Creator* out) {
  if (served_ == ready_.size()) {
    // Creators are made in batches so that their quality signals are scored with one classifier
    // call (each call has a fixed cost); the random streams are drawn in the same order as one
    // creator at a time.
    ready_.clear();
    served_ = 0;
    std::vector<quality::CreatorSignals> signals;
    for (Creator c; ready_.size() < kBatch && Generate(&c, &signals);) {
      ready_.push_back(std::move(c));
    }
    Result<std::vector<quality::QualityScore>> scores = scorer_->ScoreAll(signals);
    assert(scores.ok() && "the built-in classifier scores any signals");
    size_t k = 0;
    for (Creator& c : ready_) {
      for (Account& a : c.accounts) {
        const std::optional<double>& score = (*scores)[k++].score;
        if (score) a.quality_score = std::round(*score * 10) / 1000;
      }
    }
    if (ready_.empty()) return false;
  }
  *out = std::move(ready_[served_++]);
  ++generated_;
  return true;
}

bool PopulationGenerator::Generate(Creator* out, std::vector<quality::CreatorSignals>* signals) {
  if (index_ >= options_.creators) return false;
  Random& r = random_;
  const uint64_t id = static_cast<uint64_t>(index_++);
  Creator c;
  c.ref = "demo-" + std::to_string(id + 1);

  std::array<double, kCountries.size()> country_weights{};
  for (size_t i = 0; i < kCountries.size(); ++i) country_weights[i] = kCountries[i].share;
  const CountryShape& country = kCountries[r.Weighted(country_weights)];
  c.country = country.code;
  c.language = country.language;
  if (c.country == "IN" && r.Chance(0.3)) c.language = "hi";

  std::string latin;
  if (c.country == "JP") {
    const ScriptName& n = Pick(r, kJapanese);
    c.name = n.display;
    latin = n.latin;
  } else if (c.country == "KR") {
    const ScriptName& n = Pick(r, kKorean);
    c.name = n.display;
    latin = n.latin;
  } else {
    std::string first = Pick(r, kFirstLatin);
    std::string last = Pick(r, kLastLatin);
    c.name = first + " " + last;
    c.name[0] = static_cast<char>(c.name[0] - 'a' + 'A');
    c.name[first.size() + 1] = static_cast<char>(c.name[first.size() + 1] - 'a' + 'A');
    latin = first + (r.Chance(0.5) ? "." : "_") + last;
  }
  if (r.Chance(0.15)) c.name += std::string(" ") + Pick(r, kEmoji);

  std::array<double, kNiches.size()> niche_weights{};
  for (size_t i = 0; i < kNiches.size(); ++i) niche_weights[i] = kNiches[i].share;
  const NicheShape& niche = kNiches[r.Weighted(niche_weights)];
  std::vector<std::string> niches = {niche.niche};
  if (r.Chance(0.25)) {
    const NicheShape& second = kNiches[r.Weighted(niche_weights)];
    if (second.niche != niches[0] && std::string(second.niche) != "other") {
      niches.emplace_back(second.niche);
    }
  }

  // Quality kind, drawn once per creator.
  std::array<double, 4> kinds = {1.0 - options_.bought_followers_share -
                                     options_.engagement_pod_share - options_.bot_like_share,
                                 options_.bought_followers_share, options_.engagement_pod_share,
                                 options_.bot_like_share};
  const size_t kind_index = r.Weighted(kinds);
  const char* kind = std::array{kAuthentic, kBoughtFollowers, kEngagementPod, kBotLike}[kind_index];
  const bool bought = kind_index == 1;
  const bool pod = kind_index == 2;
  const bool bot = kind_index == 3;

  // Primary followers: the reference quantile function, shifted by the niche's median.
  double log_followers = 0;
  if (r.Chance(options_.emerging_share)) {
    log_followers = r.Uniform(2.0, 3.0);
  } else {
    // Shifting every niche spreads the mixture; half the shift keeps the tier shares close to the
    // reference while keeping the niches' order of medians.
    double shift = 0.5 * (std::log10(niche.median_followers) - std::log10(kMedianFollowers));
    log_followers =
        std::max(3.0, LogQuantile(kFollowerLevels, kFollowerQuantiles, r.Uniform(), 1.2) + shift);
  }
  const int64_t primary_followers = Round(std::pow(10.0, log_followers));

  // Platforms: Instagram-first, as in the reference sample; some creators start elsewhere.
  std::vector<std::string> platforms;
  double p = r.Uniform();
  platforms.emplace_back(p < 0.74   ? model::kInstagram
                         : p < 0.93 ? model::kTikTok
                                    : model::kYouTube);
  if (platforms[0] != model::kTikTok && r.Chance(0.38)) platforms.emplace_back(model::kTikTok);
  if (platforms[0] != model::kYouTube && r.Chance(0.14)) platforms.emplace_back(model::kYouTube);
  if (platforms[0] != model::kInstagram && r.Chance(0.6)) platforms.emplace_back(model::kInstagram);

  const NicheWords& words = kNicheWords[static_cast<size_t>(&niche - kNiches.data())];
  std::string bio;
  if (!bot) {
    bio = std::string(Pick(r, kEmoji)) + " " + Pick(r, words.phrases) + " | " + c.country;
    if (r.Chance(0.6)) bio += std::string(" | ") + Pick(r, words.hashtags);
    if (r.Chance(0.4)) bio += " | collabs: DM";
  }

  const std::string handle_base =
      bot ? "user" + std::to_string(10'000'000 + r.Below(89'999'999)) : latin;
  for (size_t i = 0; i < platforms.size(); ++i) {
    const std::string& platform = platforms[i];
    Account a;
    a.platform = platform;
    a.handle = handle_base + (platform == model::kYouTube ? "tv_" : "_") + Base36(id);
    // Instagram counts follow the reference sample; the other platforms scale from the creator's
    // reach, smaller when they are not the creator's main platform.
    double followers = static_cast<double>(primary_followers);
    if (platform == model::kTikTok) followers *= std::pow(10.0, r.Normal(i == 0 ? 0.0 : -0.3, 0.6));
    if (platform == model::kYouTube)
      followers *= std::pow(10.0, r.Normal(i == 0 ? -0.3 : -0.8, 0.6));
    a.followers = std::max<int64_t>(100, Round(followers));
    const int64_t f = *a.followers;

    double following =
        std::pow(10.0, LogQuantile(kQuantileLevels, kFollowingQuantiles, r.Uniform(), 0.3));
    if (bot) following = r.Uniform(3'000, 7'500);
    if (platform == model::kYouTube) {
      a.following.reset();
    } else {
      a.following = Round(platform == model::kTikTok ? following * 0.4 : following);
    }

    double posts = std::pow(10.0, LogQuantile(kQuantileLevels, kPostQuantiles, r.Uniform(), 0.3));
    if (platform == model::kTikTok) posts *= 0.3;
    if (platform == model::kYouTube) posts *= 0.12;
    if (bot) posts = r.Uniform(0, 40);
    a.posts = Round(posts);

    double er = model::EngagementBenchmark(platform, f) * std::exp(r.Normal(0, 0.45));
    // Bought followers do not engage: a creator whose count is 2.5-8x their real audience shows an
    // engagement rate 2.5-8x too low.
    if (bought) er /= r.Uniform(2.5, 8.0);
    if (pod) er *= r.Uniform(2.0, 3.5);
    if (bot) er *= r.Uniform(0.05, 0.3);
    a.engagement_rate = std::round(std::clamp(er, 0.0005, 0.6) * 10000) / 10000;
    if (platform != model::kInstagram) {
      double views_ratio = platform == model::kTikTok ? 0.2 : 0.1;
      a.avg_views = Round(static_cast<double>(f) * views_ratio * std::exp(r.Normal(0, 0.6)));
    }
    a.bio = bio;
    a.captions = MakeCaptions(r, static_cast<size_t>(&niche - kNiches.data()), c.language, bot);
    a.niches = niches;
    a.country = c.country;
    a.language = c.language;
    FillAudience(r, c.country, niche.female_share, bought, &a.audience);

    double post_rate =
        100.0 * std::pow(static_cast<double>(f) / 10'000.0, 0.7) * std::exp(r.Normal(0, 0.35));
    post_rate = std::max(10.0, post_rate);
    if (platform == model::kInstagram) {
      a.rates_cents["post"] = Round(post_rate * 100);
      a.rates_cents["story"] = Round(post_rate * 40);
    } else {
      a.rates_cents["video"] = Round(post_rate * (platform == model::kTikTok ? 25 : 200));
    }
    a.has_profile_pic = bot ? r.Chance(0.35) : r.Chance(0.98);
    a.is_private = false;
    if (!bot && r.Chance(0.45)) a.external_url = "https://linktr.ee/" + a.handle;
    a.extra["synthetic_quality"] = kind;
    signals->push_back(MakeQualitySignals(quality_random_, a, kind_index, kSignalsNowMs));
    c.accounts.push_back(std::move(a));
  }
  *out = std::move(c);
  return true;
}

}  // namespace seedcast::demo
