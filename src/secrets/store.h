// The secret store: values a server's environment refers to as
// "${secret:KEY}", kept under $CC_MCP_HOME/secrets/ encrypted at rest. One
// key file (32 random bytes, 0600, made at the first set) and one store file
// where each value is sealed on its own (XSalsa20-Poly1305, crypto_secretbox,
// a random nonce each) and bound to its server and key, so a value moved to
// another name does not open. Names are in the clear: `secret list` and the
// start check need no key. See README.md "Secrets" for the threat model.
#pragma once

#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/home.h"
#include "secrets/reference.h"  // is_secret_key

namespace ccmcp::secrets {

std::filesystem::path secrets_dir(const config::Home& home);
std::filesystem::path key_file(const config::Home& home);
std::filesystem::path store_file(const config::Home& home);

// A server's secret names, sorted; servers sorted by name.
using SecretNames = std::map<std::string, std::vector<std::string>>;

class SecretStore {
 public:
  explicit SecretStore(config::Home home);
  ~SecretStore();
  SecretStore(const SecretStore&) = delete;
  SecretStore& operator=(const SecretStore&) = delete;

  // Throws Error when the store file is not one of ours.
  SecretNames names() const;
  bool has(const std::string& server, const std::string& key) const;

  // The value, or nullopt when there is none. Throws Error when the key
  // file is missing or does not open the value (another key, a changed file).
  std::optional<std::string> get(const std::string& server, const std::string& key) const;

  // Each a locked read-modify-write of the store, written atomically.
  void set(const std::string& server, const std::string& key, const std::string& value);
  bool remove(const std::string& server, const std::string& key);
  size_t remove_server(const std::string& server);  // how many were removed

  // A digest of `data` keyed with the store's key (BLAKE2b): it says that a
  // value changed without telling anything about it. Hex.
  std::string keyed_digest(const std::string& data) const;

 private:
  const std::array<unsigned char, 32>& key(bool create) const;

  config::Home home_;
  mutable std::optional<std::array<unsigned char, 32>> key_;
};

}  // namespace ccmcp::secrets
