// Text encodings of import files. Exports arrive in UTF-8 (with or without a byte-order mark), in
// UTF-16 (spreadsheet "Unicode text"), or in a legacy code page (Windows-1252, Latin-1,
// Windows-1251, ...). The encoding is detected from the file's first bytes (ICU's charset
// detector decides among legacy code pages), and the file is read as UTF-8. Bytes that are
// invalid in every encoding become U+FFFD and are counted, so that the import reports them by
// line. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace seedcast::ingest {

struct Encoding {
  std::string name;    // ICU's converter name: "UTF-8", "UTF-16LE", "windows-1252"
  bool bom = false;    // the file starts with a byte-order mark
  bool guess = false;  // chosen by the charset detector, not by a mark or a valid UTF-8 decode

  bool IsUtf8() const { return name == "UTF-8"; }
  std::string Describe() const;  // "UTF-8", "UTF-16LE (byte-order mark)", "windows-1252 (detected)"
};

// The encoding of a file that starts with `head` (its first few tens of kilobytes). UTF-8 text
// with a few broken bytes stays UTF-8: more valid multi-byte sequences than invalid bytes.
Encoding DetectEncoding(std::string_view head);

// `bytes` (a whole file, its byte-order mark included) as UTF-8. Undecodable bytes become U+FFFD.
Result<std::string> DecodeToUtf8(std::string_view bytes, const Encoding& encoding);

// Replaces each invalid UTF-8 sequence of `s` with U+FFFD; returns how many were replaced.
int RepairUtf8(std::string* s);

// The number of U+FFFD characters in `s`.
int CountReplacements(std::string_view s);

}  // namespace seedcast::ingest
