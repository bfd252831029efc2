#include "secrets/store.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/file_lock.h"
#include "util/fs.h"
#include "util/unique_fd.h"

namespace ccmcp::secrets {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using Key = std::array<unsigned char, 32>;
static_assert(crypto_secretbox_KEYBYTES == 32);

fs::path secrets_dir(const config::Home& home) {
  return home.root / "secrets";
}
fs::path key_file(const config::Home& home) {
  return secrets_dir(home) / "key";
}
fs::path store_file(const config::Home& home) {
  return secrets_dir(home) / "store.json";
}

namespace {

constexpr uint64_t kMaxStoreBytes = 16u << 20;

void init_sodium() {
  if (::sodium_init() < 0) throw Error(ErrorKind::internal, "libsodium", "cannot be initialised");
}

std::string hint_restore(const config::Home& home) {
  return "restore " + key_file(home).string() +
         " from where you keep it, or remove the store and set the secrets again";
}

// The folder only its owner may enter: the key and the store are in it.
void make_secrets_dir(const config::Home& home) {
  fs::path dir = secrets_dir(home);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || ::chmod(dir.c_str(), 0700) != 0)
    throw Error(ErrorKind::io, dir.string(),
                "cannot create the folder: " + system_problem(ec ? ec.value() : errno),
                "check that $CC_MCP_HOME is writable");
}

Json load_store(const config::Home& home) {
  fs::path file = store_file(home);
  std::error_code ec;
  if (!fs::exists(file, ec)) return Json{{"version", 1}, {"servers", Json::object()}};
  std::string text = read_text_file(file, file.string(), kMaxStoreBytes);
  Json store = Json::parse(text, nullptr, false);
  if (store.is_discarded() || !store.is_object() || store.value("version", 0) != 1 ||
      !store.contains("servers") || !store["servers"].is_object())
    throw Error(ErrorKind::config, file.string(), "is not a cc-mcp secret store (version 1)",
                "restore it from a backup, or remove it and set the secrets again");
  for (const auto& [server, keys] : store["servers"].items())
    if (!keys.is_object())
      throw Error(ErrorKind::config, file.string(), "the entry of " + quote(server) + " is damaged",
                  "remove it and set the secrets again");
  return store;
}

void save_store(const config::Home& home, const Json& store) {
  write_file_atomically(store_file(home), store_file(home).string(), store.dump(2) + "\n",
                        FileOwnership{0600});
}

// What a sealed value is bound to: a value moved to another server or key
// in the file does not open there.
std::string binding(const std::string& server, const std::string& key) {
  return server + '\0' + key + '\0';
}

std::string to_base64(const std::vector<unsigned char>& bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  ::sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(),
                      sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // its terminating NUL
  return out;
}

std::optional<std::vector<unsigned char>> from_base64(const std::string& text) {
  std::vector<unsigned char> out(text.size());
  size_t length = 0;
  if (::sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &length,
                          nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return std::nullopt;
  out.resize(length);
  return out;
}

std::string seal(const Key& key, const std::string& plain) {
  std::vector<unsigned char> box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                 plain.size());
  unsigned char* nonce = box.data();
  ::randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  ::crypto_secretbox_easy(box.data() + crypto_secretbox_NONCEBYTES,
                          reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), nonce,
                          key.data());
  return to_base64(box);
}

std::optional<std::string> open(const Key& key, const std::string& sealed) {
  auto box = from_base64(sealed);
  if (!box || box->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
    return std::nullopt;
  std::string plain(box->size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (::crypto_secretbox_open_easy(
          reinterpret_cast<unsigned char*>(plain.data()), box->data() + crypto_secretbox_NONCEBYTES,
          box->size() - crypto_secretbox_NONCEBYTES, box->data(), key.data()) != 0)
    return std::nullopt;
  return plain;
}

Key read_key(const fs::path& file) {
  UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw Error(ErrorKind::io, file.string(), "cannot open: " + system_problem(errno));
  Key key{};
  ssize_t n = ::read(fd.get(), key.data(), key.size());
  char extra = 0;
  if (n != static_cast<ssize_t>(key.size()) || ::read(fd.get(), &extra, 1) != 0)
    throw Error(ErrorKind::config, file.string(), "is not a secret key (32 bytes)",
                "restore the key file, or remove the secrets folder and set the secrets again");
  return key;
}

// Made once, with O_EXCL: two first sets at once cannot make two keys.
void create_key(const fs::path& file) {
  Key key{};
  ::randombytes_buf(key.data(), key.size());
  UniqueFd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd && errno == EEXIST) return;
  if (!fd) throw Error(ErrorKind::io, file.string(), "cannot create: " + system_problem(errno));
  bool ok = ::write(fd.get(), key.data(), key.size()) == static_cast<ssize_t>(key.size()) &&
            ::fsync(fd.get()) == 0;
  ::sodium_memzero(key.data(), key.size());
  if (!ok) {
    int error = errno;
    ::unlink(file.c_str());
    throw Error(ErrorKind::io, file.string(), "cannot write: " + system_problem(error));
  }
}

}  // namespace

SecretStore::SecretStore(config::Home home) : home_(std::move(home)) {
  init_sodium();
}

SecretStore::~SecretStore() {
  if (key_) ::sodium_memzero(key_->data(), key_->size());
}

const Key& SecretStore::key(bool create) const {
  if (key_) return *key_;
  fs::path file = key_file(home_);
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    if (!create)
      throw Error(ErrorKind::config, file.string(), "is missing: the secrets cannot be read",
                  hint_restore(home_));
    make_secrets_dir(home_);
    create_key(file);
  }
  key_ = read_key(file);
  return *key_;
}

SecretNames SecretStore::names() const {
  SecretNames out;
  Json store = load_store(home_);  // kept: a temporary would end before the loop
  for (const auto& [server, keys] : store["servers"].items()) {
    auto& list = out[server];
    for (const auto& [key, value] : keys.items()) list.push_back(key);
    if (list.empty()) out.erase(server);
  }
  return out;
}

bool SecretStore::has(const std::string& server, const std::string& key) const {
  Json store = load_store(home_);
  return store["servers"].contains(server) && store["servers"][server].contains(key);
}

std::optional<std::string> SecretStore::get(const std::string& server,
                                            const std::string& key_name) const {
  Json store = load_store(home_);
  const Json& servers = store["servers"];
  if (!servers.contains(server) || !servers[server].contains(key_name)) return std::nullopt;
  const Json& sealed = servers[server][key_name];
  std::optional<std::string> plain;
  if (sealed.is_string()) plain = open(key(false), sealed.get<std::string>());
  std::string bound = binding(server, key_name);
  if (!plain || plain->compare(0, bound.size(), bound) != 0)
    throw Error(ErrorKind::config, quote(server),
                "secret " + quote(key_name) + " cannot be opened with " + key_file(home_).string() +
                    " (another key, or a changed store file)",
                "cc-mcp secret set " + server + " " + key_name + " stores it again");
  std::string value = plain->substr(bound.size());
  ::sodium_memzero(plain->data(), plain->size());
  return value;
}

void SecretStore::set(const std::string& server, const std::string& key_name,
                      const std::string& value) {
  make_secrets_dir(home_);
  FileLock lock(secrets_dir(home_) / ".lock", std::chrono::seconds(10), "another cc-mcp");
  Json store = load_store(home_);
  std::string plain = binding(server, key_name) + value;
  store["servers"][server][key_name] = seal(key(true), plain);
  ::sodium_memzero(plain.data(), plain.size());
  save_store(home_, store);
}

bool SecretStore::remove(const std::string& server, const std::string& key_name) {
  if (!fs::exists(store_file(home_))) return false;
  FileLock lock(secrets_dir(home_) / ".lock", std::chrono::seconds(10), "another cc-mcp");
  Json store = load_store(home_);
  Json& servers = store["servers"];
  if (!servers.contains(server) || !servers[server].contains(key_name)) return false;
  servers[server].erase(key_name);
  if (servers[server].empty()) servers.erase(server);
  save_store(home_, store);
  return true;
}

size_t SecretStore::remove_server(const std::string& server) {
  if (!fs::exists(store_file(home_))) return 0;
  FileLock lock(secrets_dir(home_) / ".lock", std::chrono::seconds(10), "another cc-mcp");
  Json store = load_store(home_);
  Json& servers = store["servers"];
  if (!servers.contains(server)) return 0;
  size_t count = servers[server].size();
  servers.erase(server);
  save_store(home_, store);
  return count;
}

std::string SecretStore::keyed_digest(const std::string& data) const {
  const Key& k = key(false);
  unsigned char out[32];
  ::crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(data.data()),
                       data.size(), k.data(), k.size());
  char hex[sizeof out * 2 + 1];
  ::sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return hex;
}

}  // namespace ccmcp::secrets
