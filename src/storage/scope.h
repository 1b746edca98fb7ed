// Scope: whose rows a store read may return. Every read of rows that an organisation or a creator
// owns takes one. A request's scope is derived from its principal by the dispatcher
// (app::ScopeOf); handlers only pass it on, and a test checks that no adapter makes one of its
// own. A default Scope sees nothing.
//
//   everything  operators, and the instance's own work (the CLI on the machine, background jobs)
//   org N       a brand's members and keys: rows whose org_id is N
//   creator N   a creator: their own assignments, earnings and offers
//
// Reads outside a scope answer "not found", never "forbidden", so existence does not leak.
// A plain value: thread-compatible.
#pragma once

#include <cstdint>

namespace seedcast::storage {

class Scope {
 public:
  enum class Kind { kNobody, kEverything, kOrg, kCreator };

  Scope() = default;
  static Scope Everything() { return {Kind::kEverything, 0}; }
  static Scope Org(int64_t org_id) { return {Kind::kOrg, org_id}; }
  static Scope Creator(int64_t creator_id) { return {Kind::kCreator, creator_id}; }

  Kind kind() const { return kind_; }
  bool everything() const { return kind_ == Kind::kEverything; }
  // The organisation of an org scope; 0 otherwise.
  int64_t org_id() const { return kind_ == Kind::kOrg ? id_ : 0; }
  // The creator of a creator scope; 0 otherwise.
  int64_t creator_id() const { return kind_ == Kind::kCreator ? id_ : 0; }

  // Whether a row owned by `org_id` (0: the instance's own) is within the scope.
  bool HasOrg(int64_t org_id) const {
    return everything() || (kind_ == Kind::kOrg && org_id != 0 && org_id == id_);
  }
  bool HasCreator(int64_t creator_id) const {
    return everything() || (kind_ == Kind::kCreator && creator_id != 0 && creator_id == id_);
  }

  // The two parameters of the SQL filter "(? = 1 OR org_id = ?)": everything, then the org (-1,
  // which no row has, for scopes without one).
  int64_t sql_all() const { return everything() ? 1 : 0; }
  int64_t sql_org() const { return kind_ == Kind::kOrg ? id_ : -1; }
  int64_t sql_creator() const { return kind_ == Kind::kCreator ? id_ : -1; }

 private:
  Scope(Kind kind, int64_t id) : kind_(kind), id_(id) {}

  Kind kind_ = Kind::kNobody;
  int64_t id_ = 0;
};

}  // namespace seedcast::storage
