#include "secrets/resolve.h"

#include <algorithm>
#include <map>

#include "secrets/reference.h"
#include "secrets/store.h"
#include "util/error.h"

namespace ccmcp::secrets {

namespace {

std::vector<std::string> keys_of(const config::StringPairs& environment) {
  std::vector<std::string> keys;
  for (const auto& [name, value] : environment)
    for (auto& key : parse_references(value).keys) keys.push_back(std::move(key));
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

Error not_set(const std::string& server, const std::string& key) {
  return Error(ErrorKind::config, quote(server), "secret " + quote(key) + " is not set",
               "cc-mcp secret set " + server + " " + key);
}

void check_set(const SecretStore& store, const std::string& server,
               const std::vector<std::string>& keys) {
  auto names = store.names();
  const auto& stored = names[server];
  for (const auto& key : keys)
    if (std::find(stored.begin(), stored.end(), key) == stored.end()) throw not_set(server, key);
}

}  // namespace

std::vector<std::string> referenced_keys(const config::Server& server) {
  return keys_of(server.environment);
}

void check_secrets_set(const config::Home& home, const config::Server& server) {
  auto keys = referenced_keys(server);
  if (!keys.empty()) check_set(SecretStore(home), server.name, keys);
}

ResolvedEnvironment resolve_environment(const config::Home& home, const config::Server& server) {
  return resolve_environment(home, server.name, server.environment);
}

ResolvedEnvironment resolve_environment(const config::Home& home, const std::string& server,
                                        const config::StringPairs& environment) {
  ResolvedEnvironment out;
  auto keys = keys_of(environment);
  if (keys.empty()) {
    out.plain = environment;
    return out;
  }
  SecretStore store(home);
  check_set(store, server, keys);
  std::map<std::string, std::string> values;
  for (const auto& key : keys) {
    auto value = store.get(server, key);
    if (!value) throw not_set(server, key);  // removed since the check
    values[key] = *value;
    out.values.push_back(*value);
  }
  std::string digested;
  for (const auto& [name, value] : environment) {
    if (!has_references(value)) {
      out.plain.emplace_back(name, value);
      continue;
    }
    std::string resolved = substitute(value, [&](const std::string& key) { return values[key]; });
    digested += name + '\0' + resolved + '\0';
    out.secret.emplace_back(name, std::move(resolved));
  }
  out.digest = store.keyed_digest(digested);
  return out;
}

}  // namespace ccmcp::secrets
