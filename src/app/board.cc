#include "app/board.h"

#include <fmt/format.h>

#include <map>

#include "app/accounts_internal.h"
#include "app/private_data.h"
#include "campaign/campaign_json.h"
#include "common/iso_time.h"

namespace seedcast::app {

using nlohmann::ordered_json;
using storage::ConnectionPool;
using storage::Row;

Result<std::vector<Offer>> CreatorOffers(AppContext& ctx, const storage::Scope& scope,
                                         int64_t creator_id) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  campaign::CampaignStore store(*db, ctx.clock(), scope);
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<campaign::Assignment> all,
                            store.AssignmentsOfCreator(creator_id));
  // A creator has few campaigns; each is read once however many assignments it has.
  std::map<int64_t, Offer> by_campaign;
  std::vector<Offer> out;
  for (const campaign::Assignment& a : all) {
    auto it = by_campaign.find(a.campaign_id);
    if (it == by_campaign.end()) {
      Offer o;
      SEEDCAST_ASSIGN_OR_RETURN(o.campaign, store.CampaignOf(a));
      SEEDCAST_ASSIGN_OR_RETURN(o.brand, store.BrandName(o.campaign.brand_id));
      SEEDCAST_ASSIGN_OR_RETURN(o.products, store.CampaignProducts(o.campaign));
      it = by_campaign.emplace(a.campaign_id, std::move(o)).first;
    }
    Offer o = it->second;
    o.assignment = a;
    out.push_back(std::move(o));
  }
  return out;
}

namespace {

ordered_json SpecPart(const nlohmann::json& raw, const char* key) {
  if (!raw.is_object() || !raw.contains(key) || raw[key].is_null()) return nullptr;
  return ordered_json::parse(raw[key].dump());
}

}  // namespace

ordered_json OfferToJson(const Offer& o) {
  ordered_json j = campaign::AssignmentToJson(o.assignment);
  j["product_id"] = o.assignment.product_id;
  const campaign::CampaignSpec& s = o.campaign.spec;
  ordered_json products = ordered_json::array();
  for (const campaign::Product& p : o.products) {
    products.push_back(
        {{"id", p.product_id}, {"name", p.name}, {"sku", p.sku}, {"price_cents", p.price_cents}});
  }
  j["campaign"] = {{"id", o.campaign.id},
                   {"name", s.name},
                   {"brand", o.brand},
                   {"goal", s.goal},
                   {"compensation", campaign::CompensationName(s.compensation)},
                   {"fulfilment", campaign::FulfilmentName(s.fulfilment)},
                   {"payout_cents_per_post", s.payout_cents_per_post},
                   {"jurisdiction", s.jurisdiction},
                   {"deliverables", SpecPart(s.raw, "deliverables")},
                   {"brief", SpecPart(s.raw, "brief")},
                   {"timeline", SpecPart(s.raw, "timeline")},
                   {"products", std::move(products)}};
  return j;
}

Result<AssignmentView> GetAssignmentView(AppContext& ctx, const storage::Scope& scope,
                                         int64_t assignment_id) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  campaign::CampaignStore store(*db, ctx.clock(), scope);
  campaign::AssignmentRecords records(*db, ctx.clock());
  AssignmentView v;
  SEEDCAST_ASSIGN_OR_RETURN(v.detail.assignment, store.GetAssignment(assignment_id));
  SEEDCAST_ASSIGN_OR_RETURN(v.detail.audit, store.Events(assignment_id));
  SEEDCAST_ASSIGN_OR_RETURN(v.detail.person, records.PersonOf(assignment_id));
  SEEDCAST_ASSIGN_OR_RETURN(v.post, store.LatestPost(assignment_id));
  SEEDCAST_ASSIGN_OR_RETURN(v.shipment, records.ShipmentOf(assignment_id));
  return v;
}

namespace {

ordered_json OptionalText(const std::optional<std::string>& s) {
  return s ? ordered_json(*s) : ordered_json(nullptr);
}

ordered_json PostToJson(const campaign::StoredPost& p) {
  ordered_json verdict = ordered_json::parse(p.verdict, nullptr, false);
  if (verdict.is_discarded() || !verdict.is_object() || verdict.empty()) verdict = nullptr;
  return {{"url", p.url},
          {"caption", p.caption},
          {"format", p.format},
          {"posted_at", p.posted_at_ms ? ordered_json(FormatIsoTime(*p.posted_at_ms)) : nullptr},
          {"verdict", std::move(verdict)}};
}

}  // namespace

ordered_json AssignmentViewToJson(const AssignmentView& v) {
  ordered_json j = AssignmentDetailToJson(v.detail);
  j["post"] = v.post ? PostToJson(*v.post) : ordered_json(nullptr);
  j["shipment"] = v.shipment ? ordered_json{{"carrier", OptionalText(v.shipment->carrier)},
                                            {"tracking", OptionalText(v.shipment->tracking)},
                                            {"at", FormatIsoTime(v.shipment->at_ms)}}
                             : ordered_json(nullptr);
  return j;
}

namespace {

using campaign::State;

bool OpenForReminders(State s) {
  return s == State::kApproved || s == State::kShipped || s == State::kDelivered ||
         s == State::kPurchased || s == State::kLate;
}

// What the creator has to do next, in a sentence.
std::string DueNext(const campaign::Assignment& a, const campaign::Campaign& c) {
  const std::string due = a.due_at_ms ? FormatIsoTime(*a.due_at_ms) : "";
  switch (a.state) {
    case State::kApproved:
      return c.spec.fulfilment == campaign::Fulfilment::kBuyThenReimburse
                 ? "buy the product; it is reimbursed once your post is verified"
                 : "the brand is sending your product: check that your shipping address is "
                   "up to date";
    case State::kShipped:
      return "your product is on its way: confirm delivery when it arrives";
    case State::kLate:
      return due.empty() ? "your post is overdue: please post as soon as you can"
                         : fmt::format("your post is overdue: please post by {}", due);
    default:
      return due.empty() ? "your post is due" : fmt::format("your post is due by {}", due);
  }
}

// The creator's email: their user's, else the one in their sealed contact.
Result<std::string> CreatorEmail(AppContext& ctx, storage::Database& db, int64_t creator_id) {
  SEEDCAST_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRing> keys, ctx.keyring());
  std::optional<int64_t> user_id;
  SEEDCAST_RETURN_IF_ERROR(db.Query("SELECT id FROM users WHERE creator_id = ? ORDER BY id LIMIT 1",
                                    {creator_id}, [&user_id](const Row& r) {
                                      user_id = r.Int(0);
                                      return Status::Ok();
                                    }));
  if (user_id) {
    SEEDCAST_ASSIGN_OR_RETURN(User user, internal::ReadUser(ctx, db, *keys, *user_id));
    if (!user.email.empty()) return user.email;
  }
  SEEDCAST_ASSIGN_OR_RETURN(Contact contact, ContactForMail(ctx, db, creator_id));
  if (contact.email.empty()) {
    return FailedPrecondition("no_email",
                              fmt::format("creator {} has no email to remind", creator_id));
  }
  return contact.email;
}

}  // namespace

Result<ReminderSent> RemindCreator(AppContext& ctx, const storage::Scope& scope,
                                   const std::string& actor, int64_t assignment_id) {
  SEEDCAST_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRing> keys, ctx.keyring());
  ReminderSent out;
  Status done = internal::InWriteTransaction(ctx, [&](storage::Database& db) -> Status {
    campaign::CampaignStore store(db, ctx.clock(), scope);
    campaign::AssignmentRecords records(db, ctx.clock());
    SEEDCAST_ASSIGN_OR_RETURN(campaign::Assignment a, store.LockAssignment(assignment_id));
    if (!OpenForReminders(a.state)) {
      return FailedPrecondition(
          "not_open", fmt::format("assignment {} is {}: reminders are for approved, shipped, "
                                  "delivered, purchased and late assignments",
                                  assignment_id, campaign::StateName(a.state)));
    }
    const int64_t now = ctx.clock().NowMs();
    SEEDCAST_ASSIGN_OR_RETURN(std::optional<int64_t> last,
                              records.LastNoteAt(assignment_id, "reminder"));
    if (last && now - *last < kReminderIntervalMs) {
      const int64_t wait = *last + kReminderIntervalMs - now;
      return Status(StatusCode::kResourceExhausted,
                    fmt::format("assignment {} had a reminder at {}; the next may go at {}",
                                assignment_id, FormatIsoTime(*last),
                                FormatIsoTime(*last + kReminderIntervalMs)))
          .WithReason("reminder_throttled")
          .WithRetryAfterMs(wait);
    }
    SEEDCAST_ASSIGN_OR_RETURN(campaign::Campaign c, store.CampaignOf(a));
    SEEDCAST_ASSIGN_OR_RETURN(std::string brand, store.BrandName(c.brand_id));
    SEEDCAST_ASSIGN_OR_RETURN(std::string to, CreatorEmail(ctx, db, a.creator_id));
    const std::string next = DueNext(a, c);
    SEEDCAST_RETURN_IF_ERROR(internal::QueueMail(
        ctx, db, *keys, to, fmt::format("Reminder: {}", c.spec.name),
        fmt::format("Hello,\n\nA reminder from {} about the campaign \"{}\": {}.\n\nYour offers "
                    "and their deadlines are in Seedcast.\n",
                    brand, c.spec.name, next)));
    SEEDCAST_RETURN_IF_ERROR(
        records.AddNote(assignment_id, a.state, "reminder", actor, "reminder emailed: " + next));
    out.next_allowed_at_ms = now + kReminderIntervalMs;
    return Status::Ok();
  });
  if (!done.ok()) return done;
  if (ctx.options().deliver_mail_inline) (void)DeliverMail(ctx);  // what fails stays queued
  return out;
}

}  // namespace seedcast::app
