#include "app/secrets.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <utility>

namespace seedcast::app {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kFormat = "seedcast-keys-1";
constexpr std::string_view kSealPrefix = "sc1:";
constexpr std::array<char, crypto_kdf_CONTEXTBYTES + 1> kKdfContext = {"seedcast"};
constexpr uint64_t kEncryptionSubkeyId = 1;
constexpr uint64_t kIndexSubkeyId = 2;
constexpr size_t kMasterKeyBytes = crypto_kdf_KEYBYTES;
constexpr size_t kSubkeyBytes = 32;
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr size_t kIndexBytes = 32;
constexpr int kSealedVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
constexpr int kKeyFileVariant = sodium_base64_VARIANT_ORIGINAL;
static_assert(kMasterKeyBytes == 32);
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == kSubkeyBytes);
static_assert(kSubkeyBytes >= crypto_kdf_BYTES_MIN && kSubkeyBytes <= crypto_kdf_BYTES_MAX);
static_assert(kSubkeyBytes <= crypto_generichash_KEYBYTES_MAX);

Status EnsureSodium() {
  if (sodium_init() < 0) return Internal("libsodium could not be initialised");
  return Status::Ok();
}

void Wipe(std::string& s) { sodium_memzero(s.data(), s.size()); }

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// One key of the file; its master key stays base64 text until Load derives the subkeys.
struct KeyEntry {
  int id = 0;
  int64_t created_at_ms = 0;
  std::string key_base64;
};

// The key file's content. The keys' text is zeroed when it goes.
struct KeyFile {
  int current = 0;
  std::vector<KeyEntry> keys;

  KeyFile() = default;
  KeyFile(KeyFile&&) = default;
  KeyFile& operator=(KeyFile&&) = default;
  ~KeyFile() {
    for (KeyEntry& key : keys) Wipe(key.key_base64);
  }
};

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now, reporting the failure that a delayed write may only show here.
  bool Close() {
    const int fd = std::exchange(fd_, -1);
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

Status InvalidFile(const std::string& path, const std::string& what) {
  return InvalidArgument(fmt::format("key file {}: {}", path, what)).WithReason("key_file_invalid");
}

Status IoFailure(const std::string& what, const std::string& path) {
  return IoError(fmt::format("could not {} {}: {}", what, path, std::strerror(errno)));
}

// The file's text; refused when group or others may access it.
Result<std::string> ReadKeyFile(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) {
      return NotFound(
          fmt::format("key file {} does not exist; create it with `seedcast keys init`", path));
    }
    return IoFailure("open key file", path);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return IoFailure("stat key file", path);
  if (!S_ISREG(st.st_mode)) return InvalidFile(path, "not a regular file");
  if ((st.st_mode & 077) != 0) {
    return FailedPrecondition(
        "key_file_permissions",
        fmt::format("key file {} may be accessed by group or others (mode {:04o}); run "
                    "`chmod 600 {}`",
                    path, st.st_mode & 07777, path));
  }
  std::string text;
  std::array<char, 4096> buffer{};
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoFailure("read key file", path);
    if (n == 0) break;
    text.append(buffer.data(), static_cast<size_t>(n));
  }
  sodium_memzero(buffer.data(), buffer.size());
  return text;
}

bool DecodeMasterKey(std::string_view base64, std::array<unsigned char, kMasterKeyBytes>& out) {
  size_t length = 0;
  return sodium_base642bin(out.data(), out.size(), base64.data(), base64.size(), nullptr, &length,
                           nullptr, kKeyFileVariant) == 0 &&
         length == out.size();
}

Result<KeyEntry> ParseKeyEntry(const std::string& path, Json& entry, size_t position) {
  const std::string where = fmt::format("keys[{}]", position);
  if (!entry.is_object()) return InvalidFile(path, where + " is not an object");
  const auto id = entry.find("id");
  const auto created = entry.find("created_at_ms");
  const auto key = entry.find("key");
  if (id == entry.end() || !id->is_number_integer() || id->get<int64_t>() < 1 ||
      id->get<int64_t>() > std::numeric_limits<int>::max()) {
    return InvalidFile(path, where + ".id is not a positive integer");
  }
  if (created == entry.end() || !created->is_number_integer()) {
    return InvalidFile(path, where + ".created_at_ms is not an integer");
  }
  if (key == entry.end() || !key->is_string()) {
    return InvalidFile(path, where + ".key is not a string");
  }
  KeyEntry out{id->get<int>(), created->get<int64_t>(), {}};
  std::string& text = key->get_ref<std::string&>();
  std::swap(out.key_base64, text);
  std::array<unsigned char, kMasterKeyBytes> master{};
  const bool valid = DecodeMasterKey(out.key_base64, master);
  sodium_memzero(master.data(), master.size());
  if (!valid) {
    return InvalidFile(path,
                       fmt::format("{}.key is not the base64 of {} bytes", where, kMasterKeyBytes));
  }
  return out;
}

Result<KeyFile> ParseKeyFile(const std::string& path, std::string& text) {
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  Wipe(text);
  if (json.is_discarded()) return InvalidFile(path, "not valid JSON");
  if (!json.is_object()) return InvalidFile(path, "not a JSON object");
  const auto format = json.find("format");
  if (format == json.end() || !format->is_string() || format->get<std::string>() != kFormat) {
    return InvalidFile(path, fmt::format("\"format\" is not \"{}\"", kFormat));
  }
  const auto current = json.find("current");
  if (current == json.end() || !current->is_number_integer()) {
    return InvalidFile(path, "\"current\" is not an integer");
  }
  const auto keys = json.find("keys");
  if (keys == json.end() || !keys->is_array() || keys->empty()) {
    return InvalidFile(path, "\"keys\" is not a non-empty array");
  }
  KeyFile file;
  std::set<int> ids;
  for (size_t i = 0; i < keys->size(); ++i) {
    SEEDCAST_ASSIGN_OR_RETURN(KeyEntry entry, ParseKeyEntry(path, (*keys)[i], i));
    if (!ids.insert(entry.id).second) {
      return InvalidFile(path, fmt::format("key id {} appears twice", entry.id));
    }
    file.keys.push_back(std::move(entry));
  }
  if (current->get<int64_t>() < 1 || !ids.contains(current->get<int>())) {
    return InvalidFile(path, "\"current\" is not the id of one of its keys");
  }
  file.current = current->get<int>();
  std::sort(file.keys.begin(), file.keys.end(),
            [](const KeyEntry& a, const KeyEntry& b) { return a.id < b.id; });
  return file;
}

Result<KeyFile> ReadAndParse(const std::string& path) {
  SEEDCAST_ASSIGN_OR_RETURN(std::string text, ReadKeyFile(path));
  return ParseKeyFile(path, text);
}

// The file's text; the caller wipes it once written.
std::string Serialize(const KeyFile& file) {
  Json json = {{"format", kFormat}, {"current", file.current}, {"keys", Json::array()}};
  for (const KeyEntry& key : file.keys) {
    json["keys"].push_back(
        {{"id", key.id}, {"created_at_ms", key.created_at_ms}, {"key", key.key_base64}});
  }
  std::string text = json.dump(2) + "\n";
  for (Json& key : json["keys"]) Wipe(key["key"].get_ref<std::string&>());
  return text;
}

KeyEntry NewKey(int id, int64_t now_ms) {
  std::array<unsigned char, kMasterKeyBytes> master{};
  crypto_kdf_keygen(master.data());
  std::string base64(sodium_base64_ENCODED_LEN(kMasterKeyBytes, kKeyFileVariant), '\0');
  sodium_bin2base64(base64.data(), base64.size(), master.data(), master.size(), kKeyFileVariant);
  sodium_memzero(master.data(), master.size());
  base64.resize(std::strlen(base64.c_str()));
  return {id, now_ms, std::move(base64)};
}

// Writes `text` to a new file of mode 0600 next to `path` (so a rename is atomic) and returns
// its name. The text is wiped.
Result<std::string> WriteTempFile(const std::string& path, std::string& text) {
  std::string name = path + ".tmp.XXXXXX";
  Fd fd(::mkstemp(name.data()));  // mode 0600
  if (fd.get() < 0) {
    Wipe(text);
    return IoFailure("create a temporary file next to", path);
  }
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd.get(), text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    written += static_cast<size_t>(n);
  }
  Wipe(text);
  if (written < text.size() || ::fchmod(fd.get(), 0600) != 0 || ::fsync(fd.get()) != 0 ||
      !fd.Close()) {
    Status failed = IoFailure("write", name);
    ::unlink(name.c_str());
    return failed;
  }
  return name;
}

// Makes a rename or link of `path` durable; best effort (some file systems refuse it).
void SyncDirectoryOf(const std::string& path) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  const Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() >= 0) ::fsync(fd.get());
}

Status ReplaceFile(const std::string& path, const KeyFile& file) {
  std::string text = Serialize(file);
  SEEDCAST_ASSIGN_OR_RETURN(const std::string temp, WriteTempFile(path, text));
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    Status failed = IoFailure("replace key file", path);
    ::unlink(temp.c_str());
    return failed;
  }
  SyncDirectoryOf(path);
  return Status::Ok();
}

struct SealedParts {
  int key_id = 0;
  std::string_view payload;
};

std::optional<SealedParts> ParseSealed(std::string_view sealed) {
  if (!sealed.starts_with(kSealPrefix)) return std::nullopt;
  sealed.remove_prefix(kSealPrefix.size());
  const size_t colon = sealed.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  SealedParts parts;
  const auto [end, error] = std::from_chars(sealed.data(), sealed.data() + colon, parts.key_id);
  if (error != std::errc() || end != sealed.data() + colon || parts.key_id < 1) return std::nullopt;
  parts.payload = sealed.substr(colon + 1);
  if (parts.payload.empty()) return std::nullopt;
  return parts;
}

Status Corrupt(std::string message) {
  return InvalidArgument(std::move(message)).WithReason("sealed_corrupt");
}

}  // namespace

void KeyRing::SodiumFree::operator()(unsigned char* p) const { sodium_free(p); }

KeyRing::KeyRing(std::vector<int> ids, SecretBytes subkeys, int current_id)
    : ids_(std::move(ids)), subkeys_(std::move(subkeys)), current_id_(current_id) {}
KeyRing::KeyRing(KeyRing&&) noexcept = default;
KeyRing& KeyRing::operator=(KeyRing&&) noexcept = default;
KeyRing::~KeyRing() = default;

Status KeyRing::Init(const std::string& path, int64_t now_ms) {
  SEEDCAST_RETURN_IF_ERROR(EnsureSodium());
  KeyFile file;
  file.current = 1;
  file.keys.push_back(NewKey(1, now_ms));
  std::string text = Serialize(file);
  SEEDCAST_ASSIGN_OR_RETURN(const std::string temp, WriteTempFile(path, text));
  // A link, unlike a rename, fails when the name is taken: an existing key file is never
  // overwritten, and no half-written one is ever seen under `path`.
  const int linked = ::link(temp.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(temp.c_str());
  if (linked != 0) {
    if (link_errno == EEXIST) {
      return AlreadyExists(fmt::format("key file {} exists already; it was left unchanged", path));
    }
    errno = link_errno;
    return IoFailure("create key file", path);
  }
  SyncDirectoryOf(path);
  return Status::Ok();
}

Status KeyRing::AddKey(const std::string& path, int64_t now_ms) {
  SEEDCAST_RETURN_IF_ERROR(EnsureSodium());
  SEEDCAST_ASSIGN_OR_RETURN(KeyFile file, ReadAndParse(path));
  const int id = file.keys.back().id + 1;  // keys are sorted by id
  file.keys.push_back(NewKey(id, now_ms));
  file.current = id;
  return ReplaceFile(path, file);
}

Status KeyRing::RetireKeysBefore(const std::string& path, int key_id) {
  SEEDCAST_ASSIGN_OR_RETURN(KeyFile file, ReadAndParse(path));
  if (file.current < key_id) {
    return FailedPrecondition(
        "key_current", fmt::format("keys before {} cannot be retired: key {} in {} is the current "
                                   "key",
                                   key_id, file.current, path));
  }
  for (KeyEntry& key : file.keys) {
    if (key.id < key_id) Wipe(key.key_base64);
  }
  std::erase_if(file.keys, [key_id](const KeyEntry& key) { return key.id < key_id; });
  return ReplaceFile(path, file);
}

Result<KeyRing> KeyRing::Load(const std::string& path) {
  SEEDCAST_RETURN_IF_ERROR(EnsureSodium());
  SEEDCAST_ASSIGN_OR_RETURN(const KeyFile file, ReadAndParse(path));
  const size_t size = file.keys.size() * 2 * kSubkeyBytes;
  SecretBytes subkeys(static_cast<unsigned char*>(sodium_malloc(size)));
  if (subkeys == nullptr) {
    return Status(StatusCode::kResourceExhausted, "no memory could be locked for the keys");
  }
  std::vector<int> ids;
  std::array<unsigned char, kMasterKeyBytes> master{};
  for (size_t i = 0; i < file.keys.size(); ++i) {
    const KeyEntry& key = file.keys[i];
    ids.push_back(key.id);
    const bool decoded = DecodeMasterKey(key.key_base64, master);
    assert(decoded && "ParseKeyEntry checked the key");
    (void)decoded;
    unsigned char* out = subkeys.get() + i * 2 * kSubkeyBytes;
    crypto_kdf_derive_from_key(out, kSubkeyBytes, kEncryptionSubkeyId, kKdfContext.data(),
                               master.data());
    crypto_kdf_derive_from_key(out + kSubkeyBytes, kSubkeyBytes, kIndexSubkeyId, kKdfContext.data(),
                               master.data());
  }
  sodium_memzero(master.data(), master.size());
  sodium_mprotect_readonly(subkeys.get());
  return KeyRing(std::move(ids), std::move(subkeys), file.current);
}

int KeyRing::IndexOf(int id) const {
  const auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
  return it != ids_.end() && *it == id ? static_cast<int>(it - ids_.begin()) : -1;
}

const unsigned char* KeyRing::EncryptionKey(size_t index) const {
  return subkeys_.get() + index * 2 * kSubkeyBytes;
}

const unsigned char* KeyRing::IndexKey(size_t index) const {
  return subkeys_.get() + index * 2 * kSubkeyBytes + kSubkeyBytes;
}

Result<std::string> KeyRing::Seal(std::string_view plaintext, std::string_view context) const {
  const auto index = static_cast<size_t>(IndexOf(current_id_));
  std::string box(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(box.data());
  randombytes_buf(bytes, kNonceBytes);
  unsigned long long written = 0;  // NOLINT(google-runtime-int): libsodium's type
  if (crypto_aead_xchacha20poly1305_ietf_encrypt(bytes + kNonceBytes, &written, Bytes(plaintext),
                                                 plaintext.size(), Bytes(context), context.size(),
                                                 nullptr, bytes, EncryptionKey(index)) != 0) {
    return Internal("the value could not be encrypted");
  }
  std::string encoded(sodium_base64_ENCODED_LEN(box.size(), kSealedVariant), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), bytes, box.size(), kSealedVariant);
  encoded.resize(std::strlen(encoded.c_str()));
  return fmt::format("{}{}:{}", kSealPrefix, current_id_, encoded);
}

Result<std::string> KeyRing::Open(std::string_view sealed, std::string_view context) const {
  const std::optional<SealedParts> parts = ParseSealed(sealed);
  if (!parts) return Corrupt("the sealed value is malformed (expected sc1:<key id>:<data>)");
  const int index = IndexOf(parts->key_id);
  if (index < 0) {
    return FailedPrecondition(
        "sealed_key_unknown",
        fmt::format("the value was sealed with key {}, which is not in the key ring (retired?)",
                    parts->key_id));
  }
  std::string box(parts->payload.size() * 3 / 4 + 3, '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(box.data()), box.size(),
                        parts->payload.data(), parts->payload.size(), nullptr, &length, nullptr,
                        kSealedVariant) != 0 ||
      length < kNonceBytes + kTagBytes) {
    return Corrupt("the sealed value's data is malformed");
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(box.data());
  std::string plaintext(length - kNonceBytes - kTagBytes, '\0');
  unsigned long long plain_length = 0;  // NOLINT(google-runtime-int): libsodium's type
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plaintext.data()), &plain_length, nullptr,
          bytes + kNonceBytes, length - kNonceBytes, Bytes(context), context.size(), bytes,
          EncryptionKey(static_cast<size_t>(index))) != 0) {
    return Corrupt(fmt::format(
        "the sealed value does not authenticate: it was altered, or sealed for another place "
        "than '{}'",
        context));
  }
  return plaintext;
}

std::string KeyRing::BlindIndexWith(size_t index, std::string_view value) const {
  std::array<unsigned char, kIndexBytes> hash{};
  crypto_generichash(hash.data(), hash.size(), Bytes(value), value.size(), IndexKey(index),
                     kSubkeyBytes);
  std::array<char, kIndexBytes * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
  return {hex.data(), kIndexBytes * 2};
}

std::string KeyRing::BlindIndex(std::string_view value) const {
  return BlindIndexWith(static_cast<size_t>(IndexOf(current_id_)), value);
}

std::vector<std::string> KeyRing::BlindIndexes(std::string_view value) const {
  std::vector<std::string> out;
  out.reserve(ids_.size());
  out.push_back(BlindIndex(value));
  for (size_t i = ids_.size(); i-- > 0;) {
    if (ids_[i] != current_id_) out.push_back(BlindIndexWith(i, value));
  }
  return out;
}

bool KeyRing::SealedWithCurrent(std::string_view sealed) const {
  const std::optional<SealedParts> parts = ParseSealed(sealed);
  return parts && parts->key_id == current_id_;
}

}  // namespace seedcast::app
