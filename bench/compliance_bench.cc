// Compliance checker throughput on one core, against a peer built on ICU (NFKC_Casefold
// normalisation, then one regular expression of the clear terms with word boundaries), over the
// same synthetic captions in the same run. Each checker figure is measured twice: with the posts'
// `language` given, and without it, so that the checker detects it from the caption (CLD2).
//
//   compliance_bench [POSTS] [ROUNDS]     (default 200000 posts, 5 rounds)
//
// Figures (posts per second, medians over the rounds) go to stdout as JSON. The peer answers a
// smaller question than the checker: "does a clear term appear anywhere?", without placement,
// buried hashtags, language, negation or findings.
#include <fmt/format.h>
#include <unicode/normalizer2.h>
#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "bench/per_second.h"
#include "common/stats.h"
#include "compliance/caption_language.h"
#include "compliance/checker.h"
#include "compliance/post_json.h"
#include "compliance/rules.h"

namespace {

using seedcast::compliance::Post;
using seedcast::compliance::Relationship;

struct Body {
  const char* language;
  const char* text;
};

constexpr std::array<Body, 12> kBodies = {{
    {"en", "Morning routine with @glowco serum, my skin has never felt this soft ✨"},
    {"en", "Five minute pasta for busy weeknights, recipe below and in my stories."},
    {"en", "Trail run in the new shoes from @stridelab. 12 km and no blisters!"},
    {"en", "Tried the viral cleanser for two weeks. Honest thoughts: it works, but slowly."},
    {"en", "Weekend reset 🧖‍♀️ candles, face mask and a long bath with @calmco salts"},
    {"en", "New desk setup tour! Everything is linked, ask me anything in the comments"},
    {"es", "Mi rutina de mañana con el sérum de @glowco, mi piel está increíble"},
    {"de", "Meine Morgenroutine mit dem Serum von @glowco, meine Haut war nie so weich"},
    {"fr", "Ma routine du matin avec le sérum @glowco, ma peau n'a jamais été aussi douce"},
    {"it", "La mia routine mattutina con il siero di @glowco, pelle morbidissima"},
    {"pt", "Minha rotina da manhã com o sérum da @glowco, minha pele está ótima"},
    {"nl", "Mijn ochtendroutine met het serum van @glowco, mijn huid is zo zacht"},
}};

constexpr std::array<const char*, 12> kTags = {
    "#skincare", "#glow",    "#morningroutine", "#beauty", "#selfcare", "#running",
    "#foodie",   "#recipes", "#setup",          "#wfh",    "#vegan",    "#cleanbeauty"};

const char* Disclosure(const std::string& language) {
  if (language == "es") return "#publicidad";
  if (language == "de") return "Werbung";
  if (language == "fr") return "#publicité";
  if (language == "it") return "#pubblicità";
  if (language == "pt") return "#publicidade";
  if (language == "nl") return "#advertentie";
  return "#ad";
}

std::vector<Post> MakePosts(size_t n) {
  std::mt19937_64 rng(7);
  auto pick = [&](size_t size) { return static_cast<size_t>(rng() % size); };
  constexpr std::array<const char*, 3> kPlatforms = {"instagram", "tiktok", "youtube"};
  constexpr std::array<Relationship, 5> kRelationships = {
      Relationship::kPaid, Relationship::kGiftedRequired, Relationship::kGiftedUnsolicited,
      Relationship::kAffiliate, Relationship::kNone};
  std::vector<Post> posts(n);
  for (size_t i = 0; i < n; ++i) {
    Post& p = posts[i];
    p.id = fmt::format("p{}", i);
    p.platform = kPlatforms[pick(kPlatforms.size())];
    p.relationship = kRelationships[pick(kRelationships.size())];
    const Body& body = kBodies[pick(kBodies.size())];
    p.language = body.language;
    std::string text = body.text;
    for (size_t extra = pick(3); extra > 0; --extra) {
      text += " ";
      text += kBodies[pick(6)].text;
    }
    std::string tags;
    for (size_t t = 2 + pick(6); t > 0; --t) {
      tags += " ";
      tags += kTags[pick(kTags.size())];
    }
    const std::string disclosure = Disclosure(p.language);
    switch (pick(6)) {
      case 0:
      case 1:
        p.caption = fmt::format("{} {}{}", disclosure, text, tags);  // clear, up front
        break;
      case 2:
        p.caption = fmt::format("{}{} {}", text, tags, disclosure);  // late, often buried
        break;
      case 3:
        p.caption = fmt::format("{} spon{}", text, tags);  // unclear
        break;
      case 4:
        p.caption = fmt::format("Not an ad! {}{}", text, tags);  // negated
        break;
      default:
        p.caption = fmt::format("{}{}", text, tags);  // none
        break;
    }
  }
  return posts;
}

// The post as an NDJSON line; without "language" when the post has none.
std::string PostLine(const Post& p) {
  nlohmann::json j = {{"id", p.id},
                      {"platform", p.platform},
                      {"caption", p.caption},
                      {"relationship", seedcast::compliance::RelationshipName(p.relationship)}};
  if (!p.language.empty()) j["language"] = p.language;
  return j.dump();
}

double Median(std::vector<double> v) { return seedcast::Percentile(std::move(v), 50); }

struct Throughput {
  double engine_posts_per_s = 0;
  double ndjson_posts_per_s = 0;
  size_t compliant = 0;
};

// The checker alone, then with NDJSON parsing and verdict output; medians over `rounds`.
Throughput Measure(const seedcast::compliance::RuleBook& rules,
                   const seedcast::compliance::Jurisdiction& jurisdiction,
                   const std::vector<Post>& posts, int rounds) {
  std::vector<std::string> lines;
  lines.reserve(posts.size());
  for (const Post& p : posts) lines.push_back(PostLine(p));
  seedcast::compliance::Checker checker(rules, jurisdiction);
  Throughput out;
  std::vector<double> engine;
  std::vector<double> ndjson;
  for (int r = 0; r < rounds; ++r) {
    out.compliant = 0;
    engine.push_back(seedcast::bench::PerSecond(posts.size(), [&] {
      for (const Post& p : posts) out.compliant += checker.Check(p).compliant ? 1 : 0;
    }));
    seedcast::compliance::PostReader reader;
    Post post;
    std::string id_json;
    std::string line_out;
    ndjson.push_back(seedcast::bench::PerSecond(posts.size(), [&] {
      for (const std::string& line : lines) {
        line_out.clear();
        if (!reader.Read(line, &post, &id_json).ok()) std::abort();
        seedcast::compliance::AppendVerdictJson(id_json, checker.Check(post), &line_out);
      }
    }));
  }
  out.engine_posts_per_s = Median(engine);
  out.ndjson_posts_per_s = Median(ndjson);
  return out;
}

// How detection read the captions that need a language (relationship other than "none"): sure,
// unsure or nothing detected, and how often a sure answer is the language the body was written in
// (captions of other languages often carry English sentences too).
nlohmann::json DetectionSummary(const seedcast::compliance::RuleBook& rules,
                                const seedcast::compliance::Jurisdiction& jurisdiction,
                                const std::vector<Post>& given) {
  seedcast::compliance::Checker checker(rules, jurisdiction);
  size_t checked = 0;
  size_t sure = 0;
  size_t undetected = 0;
  size_t sure_as_written = 0;
  for (const Post& p : given) {
    if (p.relationship == Relationship::kNone) continue;
    Post detect = p;
    detect.language.clear();
    const auto language = checker.Check(detect).language;
    if (!language) continue;
    ++checked;
    if (language->code.empty()) {
      ++undetected;
    } else if (language->note.empty()) {  // a sure answer in a language with a vocabulary
      ++sure;
      sure_as_written += language->code == p.language ? 1 : 0;
    }
  }
  const auto share = [&](size_t n) {
    return checked == 0 ? 0.0 : static_cast<double>(n) / static_cast<double>(checked);
  };
  return {{"sure_share", share(sure)},
          {"unsure_share", share(checked - sure - undetected)},
          {"undetected_share", share(undetected)},
          {"sure_as_written_share",
           sure == 0 ? 0.0 : static_cast<double>(sure_as_written) / static_cast<double>(sure)}};
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 200'000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
  auto rules = seedcast::compliance::BuiltInRules();
  if (!rules.ok()) {
    std::cerr << rules.status().ToString() << "\n";
    return 1;
  }
  const auto& us = **rules->Find("us");
  const std::vector<Post> posts = MakePosts(n);
  std::vector<Post> undeclared = posts;  // the same posts without their language
  for (Post& p : undeclared) p.language.clear();
  size_t caption_bytes = 0;
  for (const Post& p : posts) caption_bytes += p.caption.size();
  const Throughput given = Measure(*rules, us, posts, rounds);
  const Throughput detected = Measure(*rules, us, undeclared, rounds);
  std::vector<double> peer;

  // The ICU peer: NFKC case folding, then one regular expression of the US clear terms.
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* fold = icu::Normalizer2::getNFKCCasefoldInstance(status);
  icu::RegexPattern* pattern = icu::RegexPattern::compile(
      icu::UnicodeString::fromUTF8(
          R"((?<![\p{L}\p{N}_])#?(ad|advert|advertisement|advertising|sponsored|gifted|)"
          R"(paid partnership|paidpartnership)(?![\p{L}\p{N}_]))"),
      0, status);
  if (U_FAILURE(status)) {
    std::cerr << "ICU: " << u_errorName(status) << "\n";
    return 1;
  }
  icu::RegexMatcher* matcher = pattern->matcher(status);
  size_t peer_hits = 0;
  for (int r = 0; r < rounds; ++r) {
    peer_hits = 0;
    peer.push_back(seedcast::bench::PerSecond(n, [&] {
      for (const Post& p : posts) {
        UErrorCode s = U_ZERO_ERROR;
        const icu::UnicodeString folded =
            fold->normalize(icu::UnicodeString::fromUTF8(p.caption), s);
        matcher->reset(folded);
        peer_hits += matcher->find() ? 1 : 0;
      }
    }));
  }
  delete matcher;  // NOLINT(cppcoreguidelines-owning-memory): ICU hands out owning pointers
  delete pattern;  // NOLINT(cppcoreguidelines-owning-memory)

  const auto per_post = [&](size_t count) {
    return static_cast<double>(count) / static_cast<double>(n);
  };
  nlohmann::json report = {
      {"posts", n},
      {"rounds", rounds},
      {"mean_caption_bytes", per_post(caption_bytes)},
      {"compliant_share", per_post(given.compliant)},
      {"compliant_share_detected", per_post(detected.compliant)},
      {"engine_posts_per_s", given.engine_posts_per_s},
      {"ndjson_posts_per_s", given.ndjson_posts_per_s},
      {"engine_detect_posts_per_s", detected.engine_posts_per_s},
      {"ndjson_detect_posts_per_s", detected.ndjson_posts_per_s},
      {"detect_bytes", seedcast::compliance::kDetectBytes},
      {"detection", DetectionSummary(*rules, us, posts)},
      {"icu_peer_posts_per_s", Median(peer)},
      {"icu_peer_hit_share", per_post(peer_hits)},
      {"ratio_engine_to_peer", given.engine_posts_per_s / Median(peer)},
  };
  std::cout << report.dump(2) << "\n";
  return 0;
}
