#include "measure/sessions.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <memory>

#include "common/iso_time.h"
#include "common/text.h"
#include "ingest/numbers.h"
#include "ingest/table_reader.h"

namespace seedcast::measure {
namespace {

using storage::Row;
using storage::Value;

enum class Column { kNone, kDay, kSessions, kOrders, kRate };

// Normalised header names of shops' sessions reports.
Column GuessColumn(std::string_view header) {
  const std::string l = text::NormalizeLabel(header);
  if (l == "day" || l == "date" || l == "day date") return Column::kDay;
  if (l == "sessions" || l == "total sessions" || l == "online store sessions" || l == "visits") {
    return Column::kSessions;
  }
  if (l == "orders" || l == "total orders" || l == "orders placed" || l == "sessions converted" ||
      l == "sessions that completed checkout" || l == "completed checkout" || l == "conversions") {
    return Column::kOrders;
  }
  if (l == "conversion rate" || l == "online store conversion rate" ||
      l == "session conversion rate") {
    return Column::kRate;
  }
  return Column::kNone;
}

Result<std::string> DayOf(std::string_view text) {
  auto ms = ParseIsoTimeMs(text::Trim(text));
  if (!ms.ok()) return InvalidArgument(fmt::format("day: '{}' is not a date", text::Trim(text)));
  return FormatIsoTime(*ms).substr(0, 10);
}

Result<DaySessions> ReadDay(const ingest::Record& rec, const std::map<Column, size_t>& at) {
  auto cell = [&](Column c) -> std::string_view {
    auto it = at.find(c);
    if (it == at.end() || it->second >= rec.cells.size()) return std::string_view();
    return std::string_view(rec.cells[it->second]);
  };
  DaySessions d;
  SEEDCAST_ASSIGN_OR_RETURN(d.day, DayOf(cell(Column::kDay)));
  auto sessions = ingest::ParseCount(cell(Column::kSessions));
  if (!sessions.ok()) return InvalidArgument("sessions: " + sessions.status().message());
  d.sessions = *sessions;
  if (at.contains(Column::kOrders)) {
    auto orders = ingest::ParseCount(cell(Column::kOrders));
    if (!orders.ok()) return InvalidArgument("orders: " + orders.status().message());
    d.orders = *orders;
  } else {
    // Shopify writes the rate in percent ("2.5%" or "2.5").
    auto rate = ingest::ParseFraction(cell(Column::kRate), true);
    if (!rate.ok()) return InvalidArgument("conversion rate: " + rate.status().message());
    d.orders = std::llround(*rate * static_cast<double>(d.sessions));
  }
  SEEDCAST_RETURN_IF_ERROR(CheckDaySessions(d));
  return d;
}

}  // namespace

Status CheckDaySessions(const DaySessions& d) {
  auto day = DayOf(d.day);
  if (!day.ok() || *day != d.day) {
    return InvalidArgument(fmt::format("day: '{}' is not a date (YYYY-MM-DD)", d.day))
        .WithField("day");
  }
  if (d.sessions < 0 || d.orders < 0) {
    return InvalidArgument("sessions and orders cannot be negative").WithField("sessions");
  }
  if (d.orders > d.sessions) {
    return InvalidArgument(
               fmt::format("{}: {} orders but {} sessions", d.day, d.orders, d.sessions))
        .WithField("orders");
  }
  return Status::Ok();
}

Result<std::vector<DaySessions>> ReadSessionsReport(const std::string& path, SessionsImport* info) {
  SEEDCAST_ASSIGN_OR_RETURN(std::unique_ptr<ingest::RecordReader> reader,
                            ingest::OpenRecordReader(path));
  ingest::Record rec;
  std::map<Column, size_t> at;
  while (at.empty() && reader->Next(&rec)) {
    for (size_t i = 0; i < rec.cells.size(); ++i) {
      const Column c = GuessColumn(rec.cells[i]);
      if (c != Column::kNone && !at.contains(c)) at[c] = i;
      if (c == Column::kOrders && info->orders_from.empty()) {
        info->orders_from = std::string(text::Trim(rec.cells[i]));
      }
    }
  }
  SEEDCAST_RETURN_IF_ERROR(reader->status());
  if (!at.contains(Column::kDay) || !at.contains(Column::kSessions) ||
      (!at.contains(Column::kOrders) && !at.contains(Column::kRate))) {
    return InvalidArgument(path +
                           ": a sessions report needs a day, a sessions column, and orders or a "
                           "conversion rate");
  }
  if (info->orders_from.empty()) info->orders_from = "conversion rate";
  std::map<std::string, DaySessions> days;
  while (reader->Next(&rec)) {
    bool blank = true;
    for (const std::string& c : rec.cells) blank = blank && text::Trim(c).empty();
    if (blank) continue;
    info->records += 1;
    auto d = ReadDay(rec, at);
    if (!d.ok()) {
      info->rejects.push_back({rec.line, d.status().message()});
      continue;
    }
    DaySessions& into = days[d->day];
    into.day = d->day;
    into.sessions += d->sessions;
    into.orders += d->orders;
  }
  SEEDCAST_RETURN_IF_ERROR(reader->status());
  std::vector<DaySessions> out;
  out.reserve(days.size());
  for (auto& [day, d] : days) out.push_back(std::move(d));
  return out;
}

Status StoreSessions(storage::Database& db, const SessionsKey& key,
                     const std::vector<DaySessions>& days, std::string_view source,
                     const Clock& clock) {
  for (const DaySessions& d : days) SEEDCAST_RETURN_IF_ERROR(CheckDaySessions(d));
  return storage::InTransaction(db, [&]() -> Status {
    for (const DaySessions& d : days) {
      SEEDCAST_RETURN_IF_ERROR(
          db.Execute("DELETE FROM listing_sessions WHERE brand_id = ? AND sku = ? AND day = ?",
                     {key.brand_id, std::string_view(key.sku), std::string_view(d.day)}));
      SEEDCAST_RETURN_IF_ERROR(db.Execute(
          "INSERT INTO listing_sessions (org_id, brand_id, sku, day, sessions, orders, source, "
          "updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          {key.org_id == 0 ? Value(nullptr) : Value(key.org_id), key.brand_id,
           std::string_view(key.sku), std::string_view(d.day), d.sessions, d.orders, source,
           clock.NowMs()}));
    }
    return Status::Ok();
  });
}

Result<SessionsImport> ImportSessions(storage::Database& db, const SessionsKey& key,
                                      const std::string& path, const Clock& clock) {
  SessionsImport info;
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<DaySessions> days, ReadSessionsReport(path, &info));
  SEEDCAST_RETURN_IF_ERROR(StoreSessions(db, key, days, "import", clock));
  info.stored = static_cast<int64_t>(days.size());
  return info;
}

Result<Proportion> SumSessions(storage::Database& db, const storage::Scope& scope, int64_t brand_id,
                               const std::string& sku, const std::string& first_day,
                               const std::string& last_day) {
  Proportion p;
  SEEDCAST_RETURN_IF_ERROR(db.Query(
      "SELECT COALESCE(SUM(sessions), 0), COALESCE(SUM(orders), 0) FROM listing_sessions WHERE "
      "(? = 1 OR org_id = ?) AND brand_id = ? AND sku = ? AND day >= ? AND day <= ?",
      {scope.sql_all(), scope.sql_org(), brand_id, std::string_view(sku),
       std::string_view(first_day), std::string_view(last_day)},
      [&p](const Row& r) {
        p.trials = r.Int(0);
        p.successes = r.Int(1);
        return Status::Ok();
      }));
  return p;
}

}  // namespace seedcast::measure
