// Shortlists: an organisation's named lists of creators it is considering (from search or the
// catalogue). Each belongs to one organisation; its people and keys read and change their own,
// operators read every one, and a shortlist of another organisation is "not found".
//
// Thread-safe: each call takes its own connection.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/context.h"
#include "storage/scope.h"

namespace seedcast::app {

struct Shortlist {
  int64_t id = 0;
  std::string name;
  int64_t count = 0;  // creators on it
};

struct ShortlistedCreator {
  int64_t creator_id = 0;
  std::string name;
  // The creator's largest approved account ("" and 0 when they have none).
  std::string handle;
  std::string platform;
  int64_t followers = 0;
  int64_t added_at_ms = 0;
};

struct ShortlistDetail {
  Shortlist list;
  std::vector<ShortlistedCreator> creators;
};

Result<std::vector<Shortlist>> ListShortlists(AppContext& ctx, const storage::Scope& scope);
// `name`: 1 to 100 characters. An org scope only: kFailedPrecondition (no_organisation) for an
// operator; kAlreadyExists when the organisation has a list of that name.
Result<Shortlist> CreateShortlist(AppContext& ctx, const storage::Scope& scope,
                                  const std::string& name);
Result<ShortlistDetail> GetShortlist(AppContext& ctx, const storage::Scope& scope, int64_t id);
// Whether the creator was added (false: on the list already). kNotFound for an unknown creator.
Result<bool> AddToShortlist(AppContext& ctx, const storage::Scope& scope, int64_t id,
                            int64_t creator_id);
// Whether the creator was on the list.
Result<bool> RemoveFromShortlist(AppContext& ctx, const storage::Scope& scope, int64_t id,
                                 int64_t creator_id);

nlohmann::ordered_json ShortlistToJson(const Shortlist& s);
nlohmann::ordered_json ShortlistDetailToJson(const ShortlistDetail& d);

}  // namespace seedcast::app
