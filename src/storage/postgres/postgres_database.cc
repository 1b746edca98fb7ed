#include "storage/postgres/postgres_database.h"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <optional>
#include <vector>

#include "fmt/format.h"

namespace seedcast::storage {
namespace {

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

Status ResultError(const PGresult* r, const std::string& what) {
  const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  std::string message = what + ": " + PQresultErrorMessage(r);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  std::string sqlstate = state != nullptr ? state : "";
  if (sqlstate.starts_with("23")) return AlreadyExists(message).WithReason("constraint_violation");
  // A serialization failure or deadlock: the transaction lost a race and may be retried.
  if (sqlstate == "40001" || sqlstate == "40P01") return Aborted(message);
  // statement_timeout or lock_timeout
  if (sqlstate == "57014" || sqlstate == "55P03") {
    return Status(StatusCode::kDeadlineExceeded, message);
  }
  if (sqlstate.starts_with("08")) return Unavailable(message);
  return Internal(message);
}

class PostgresRow final : public Row {
 public:
  explicit PostgresRow(const PGresult* r) : r_(r) {}
  int size() const override { return PQnfields(r_); }
  bool IsNull(int c) const override { return PQgetisnull(r_, 0, c) != 0; }
  int64_t Int(int c) const override {
    std::string_view t = Text(c);
    int64_t v = 0;
    std::from_chars(t.data(), t.data() + t.size(), v);
    return v;
  }
  double Real(int c) const override { return std::strtod(PQgetvalue(r_, 0, c), nullptr); }
  std::string_view Text(int c) const override {
    return {PQgetvalue(r_, 0, c), static_cast<size_t>(PQgetlength(r_, 0, c))};
  }

 private:
  const PGresult* r_;
};

}  // namespace

std::string PostgresDatabase::RewritePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  bool in_quote = false;
  for (char c : sql) {
    if (c == '\'') in_quote = !in_quote;
    if (c == '?' && !in_quote) {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

Result<std::unique_ptr<Database>> PostgresDatabase::Open(const std::string& url) {
  pg_conn* conn = PQconnectdb(url.c_str());
  std::unique_ptr<PostgresDatabase> db(new PostgresDatabase(conn));
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    std::string message = conn != nullptr ? PQerrorMessage(conn) : "out of memory";
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return Unavailable("cannot connect to PostgreSQL: " + message);
  }
  SEEDCAST_RETURN_IF_ERROR(db->ExecuteScript("SET client_min_messages = warning"));
  return std::unique_ptr<Database>(std::move(db));
}

PostgresDatabase::~PostgresDatabase() { PQfinish(conn_); }

Result<std::string> PostgresDatabase::PreparedName(std::string_view sql, size_t param_count) {
  auto it = prepared_.find(sql);
  if (it != prepared_.end()) return it->second;
  std::string name = "s" + std::to_string(prepared_.size() + 1);
  std::string rewritten = RewritePlaceholders(sql);
  ResultPtr r(
      PQprepare(conn_, name.c_str(), rewritten.c_str(), static_cast<int>(param_count), nullptr));
  if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) return ResultError(r.get(), "preparing SQL");
  prepared_.emplace(std::string(sql), name);
  return name;
}

Status PostgresDatabase::Execute(std::string_view sql, std::span<const Value> params) {
  return Query(sql, params, [](const Row&) { return Status::Ok(); });
}

Status PostgresDatabase::Query(std::string_view sql, std::span<const Value> params,
                               const RowCallback& on_row) {
  SEEDCAST_ASSIGN_OR_RETURN(std::string name, PreparedName(sql, params.size()));
  std::vector<std::string> texts(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  for (size_t i = 0; i < params.size(); ++i) {
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::nullptr_t>) {
            values[i] = nullptr;
          } else if constexpr (std::is_same_v<T, int64_t>) {
            texts[i] = std::to_string(v);
            values[i] = texts[i].c_str();
          } else if constexpr (std::is_same_v<T, double>) {
            texts[i] = fmt::format("{}", v);
            values[i] = texts[i].c_str();
          } else {
            texts[i] = std::string(v);
            values[i] = texts[i].c_str();
          }
        },
        params[i]);
  }
  if (PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(params.size()), values.data(),
                          nullptr, nullptr, 0) == 0) {
    return Unavailable(std::string("sending query: ") + PQerrorMessage(conn_));
  }
  PQsetSingleRowMode(conn_);
  Status status;
  while (PGresult* raw = PQgetResult(conn_)) {
    ResultPtr r(raw);
    ExecStatusType st = PQresultStatus(r.get());
    if (st == PGRES_SINGLE_TUPLE) {
      if (status.ok()) status = on_row(PostgresRow(r.get()));
    } else if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
      if (status.ok()) status = ResultError(r.get(), "running SQL");
    }
  }
  return status;
}

Result<int64_t> PostgresDatabase::Insert(std::string_view sql, std::span<const Value> params) {
  std::optional<int64_t> id;
  SEEDCAST_RETURN_IF_ERROR(Query(std::string(sql) + " RETURNING id", params, [&id](const Row& r) {
    id = r.Int(0);
    return Status::Ok();
  }));
  if (!id) return Internal("INSERT returned no id");
  return *id;
}

Status PostgresDatabase::ExecuteScript(std::string_view sql) {
  ResultPtr r(PQexec(conn_, std::string(sql).c_str()));
  ExecStatusType st = PQresultStatus(r.get());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    return ResultError(r.get(), "running SQL script");
  }
  return Status::Ok();
}

namespace {

// One value in COPY's text format: \N for NULL; backslash, tab, newline and carriage return
// escaped.
void AppendCopyValue(const Value& value, std::string* out) {
  std::visit(
      [out](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::nullptr_t>) {
          out->append("\\N");
        } else if constexpr (std::is_same_v<T, int64_t>) {
          out->append(std::to_string(v));
        } else if constexpr (std::is_same_v<T, double>) {
          out->append(fmt::format("{}", v));
        } else {
          for (char c : v) {
            switch (c) {
              case '\\':
                out->append("\\\\");
                break;
              case '\t':
                out->append("\\t");
                break;
              case '\n':
                out->append("\\n");
                break;
              case '\r':
                out->append("\\r");
                break;
              default:
                out->push_back(c);
            }
          }
        }
      },
      value);
}

}  // namespace

Status PostgresDatabase::CopyRows(std::string_view table, std::string_view columns,
                                  int column_count, std::span<const Value> values) {
  SEEDCAST_RETURN_IF_ERROR(CheckRows(column_count, values.size()));
  const auto width = static_cast<size_t>(column_count);
  if (values.empty()) return Status::Ok();
  const std::string sql =
      "COPY " + std::string(table) + " (" + std::string(columns) + ") FROM STDIN";
  ResultPtr started(PQexec(conn_, sql.c_str()));
  if (PQresultStatus(started.get()) != PGRES_COPY_IN) {
    return ResultError(started.get(), "starting COPY");
  }
  constexpr size_t kBlockBytes = size_t{1} << 20;
  std::string block;
  block.reserve(kBlockBytes + 4096);
  bool sent = true;
  for (size_t i = 0; i < values.size() && sent; ++i) {
    AppendCopyValue(values[i], &block);
    block.push_back((i + 1) % width == 0 ? '\n' : '\t');
    if (block.size() >= kBlockBytes || i + 1 == values.size()) {
      sent = PQputCopyData(conn_, block.data(), static_cast<int>(block.size())) == 1;
      block.clear();
    }
  }
  // Ending the copy with an error message makes the server abandon it.
  const bool ended = PQputCopyEnd(conn_, sent ? nullptr : "sending the rows failed") == 1;
  Status status =
      ended ? Status::Ok() : Unavailable(std::string("ending COPY: ") + PQerrorMessage(conn_));
  while (PGresult* raw = PQgetResult(conn_)) {
    ResultPtr r(raw);
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK && status.ok()) {
      status = ResultError(r.get(), "running COPY");
    }
  }
  return status;
}

Status PostgresDatabase::Begin() { return ExecuteScript("BEGIN"); }
Status PostgresDatabase::Commit() { return ExecuteScript("COMMIT"); }
Status PostgresDatabase::Rollback() { return ExecuteScript("ROLLBACK"); }

bool PostgresDatabase::Alive() const {
  return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK;
}

Status PostgresDatabase::SetStatementTimeout(int64_t timeout_ms) {
  return ExecuteScript("SET statement_timeout = " +
                       std::to_string(std::max<int64_t>(0, timeout_ms)));
}

}  // namespace seedcast::storage
