// An MCP registry as a catalog: the API of registry.modelcontextprotocol.io
// (and of any registry that serves it) at a URL the user gives.
//
//   GET {url}/v0.1/servers?limit=100[&cursor=C][&search=S]
//       -> {"servers": [{"server": {server.json}, "_meta": {...}}, ...],
//           "metadata": {"nextCursor": "C2" | null, "count": N}}
//   GET {url}/v0.1/servers/{urlencoded name}/versions/{version | latest}
//       -> {"server": {server.json}, "_meta": {...}}
//
// Searching a registry walks every page once and keeps the documents in a
// cache ($CC_MCP_HOME/cache/catalogs/NAME.json, with when it was fetched),
// so that search ranks locally, fast, and works offline; the cache is used
// while younger than kRegistryCacheTtl (`catalog refresh` fetches anew), and
// an older one is used, with a warning, when the registry cannot be reached.
// info and install ask for the server itself (versions/latest or the
// version named) so that what is installed is what the registry says now.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/home.h"
#include "net/http_client.h"

namespace ccmcp::marketplace {

inline constexpr std::chrono::hours kRegistryCacheTtl{1};
inline constexpr int kRegistryPageLimit = 100;

class RegistryClient {
 public:
  RegistryClient(net::HttpClient& http, std::string base_url,
                 std::chrono::milliseconds timeout = std::chrono::seconds(20));

  // Every server.json of every page, in the registry's order; the latest
  // version of each when the registry says which. Throws Error (io) naming
  // the URL: unreachable, an HTTP error, an answer that is not the API's, a
  // cursor that repeats.
  std::vector<nlohmann::json> list_all(const std::string& search = {});

  // One server.json; nullopt when the registry has no such server or version.
  std::optional<nlohmann::json> server(const std::string& name,
                                       const std::string& version = "latest");

  const std::string& base_url() const { return base_url_; }

 private:
  nlohmann::json get(const std::string& path, bool allow_404, bool& missing);

  net::HttpClient& http_;
  std::string base_url_;
  std::chrono::milliseconds timeout_;
};

struct RegistryCache {
  std::string url;
  int64_t fetched_at = 0;  // unix seconds
  std::vector<nlohmann::json> servers;
};

std::filesystem::path registry_cache_file(const config::Home& home, const std::string& catalog);
// nullopt when there is none, it is unreadable, or it is of another URL.
std::optional<RegistryCache> read_registry_cache(const config::Home& home,
                                                 const std::string& catalog,
                                                 const std::string& url);
void write_registry_cache(const config::Home& home, const std::string& catalog,
                          const RegistryCache& cache);

// "just now", "12 min ago", "3 h ago", "2 days ago".
std::string age_text(int64_t seconds);
// The age of something fetched at `when` (unix seconds), as age_text says it.
std::string age_since(int64_t when);
// Now, in unix seconds.
int64_t unix_now();

}  // namespace ccmcp::marketplace
