// The SMTP sender of the outbox (libcurl): one message to one recipient over SMTP, with STARTTLS
// when the server offers it ("smtp://") or TLS from the start ("smtps://"), and login when a user
// is configured. The default sender is the mail directory (mail.cc); this one is used when
// [accounts] smtp_url is set.
//
// Stateless: thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace seedcast::app {

struct SmtpSettings {
  std::string url;   // "smtp://mail.example.com:587" or "smtps://..."
  std::string from;  // the envelope and header sender
  std::string user;  // "" for no login
  std::string password;
  int64_t timeout_ms = 10'000;
  // smtp:// only: STARTTLS is required (a server that does not offer it gets nothing), unless
  // this is false (a relay on the same machine or network without TLS).
  bool require_tls = true;
};

struct MailMessage {
  std::string to;
  std::string subject;
  std::string body;  // plain text
  int64_t created_at_ms = 0;
  std::string message_id;  // "<outbox-12@seedcast>"
};

// The message in RFC 5322 form, CRLF line ends, as both senders write it.
std::string FormatMessage(const MailMessage& m, const std::string& from);

// kUnavailable when the server cannot be reached or refuses the message (the outbox tries again).
Status SendSmtp(const SmtpSettings& settings, const MailMessage& message);

}  // namespace seedcast::app
