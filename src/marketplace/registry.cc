#include "marketplace/registry.h"

#include <set>

#include "docker/engine.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/strings.h"

namespace ccmcp::marketplace {

using nlohmann::json;

namespace {

constexpr int kMaxPages = 1000;  // 100,000 servers: a registry that never ends is refused

std::string strip_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// A list item: {"server": {...}, "_meta": {...}}; false for an older
// version when the registry marks the latest.
bool is_latest(const json& item) {
  auto meta = item.find("_meta");
  if (meta == item.end() || !meta->is_object()) return true;
  auto official = meta->find("io.modelcontextprotocol.registry/official");
  if (official == meta->end() || !official->is_object()) return true;
  auto latest = official->find("isLatest");
  return latest == official->end() || !latest->is_boolean() || latest->get<bool>();
}

}  // namespace

RegistryClient::RegistryClient(net::HttpClient& http, std::string base_url,
                               std::chrono::milliseconds timeout)
    : http_(http), base_url_(strip_slash(std::move(base_url))), timeout_(timeout) {}

json RegistryClient::get(const std::string& path, bool allow_404, bool& missing) {
  net::HttpRequest request;
  request.url = base_url_ + path;
  request.headers = {"Accept: application/json"};
  request.timeout = timeout_;
  net::HttpResponse response;
  try {
    response = http_.send(request);
  } catch (const net::HttpError& error) {
    throw Error(ErrorKind::io, "registry " + base_url_,
                std::string("cannot be reached: ") + error.what(),
                "check the URL (cc-mcp catalog list) and the network");
  }
  missing = response.status == 404;
  if (missing && allow_404) return nullptr;
  if (response.status != 200)
    throw Error(ErrorKind::io, "registry " + base_url_,
                "answered HTTP " + std::to_string(response.status) + " to GET " + path,
                "is it an MCP registry (API v0.1)?");
  json body = json::parse(response.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    throw Error(ErrorKind::io, "registry " + base_url_,
                "answered GET " + path + " with no JSON object",
                "is it an MCP registry (API v0.1)?");
  return body;
}

std::vector<json> RegistryClient::list_all(const std::string& search) {
  std::vector<json> out;
  std::set<std::string> cursors;
  std::string cursor;
  for (int page = 0; page < kMaxPages; ++page) {
    std::string path = "/v0.1/servers?limit=" + std::to_string(kRegistryPageLimit);
    if (!cursor.empty()) path += "&cursor=" + docker::url_encode(cursor);
    if (!search.empty()) path += "&search=" + docker::url_encode(search);
    bool missing = false;
    json body = get(path, false, missing);
    auto servers = body.find("servers");
    if (servers == body.end() || !servers->is_array())
      throw Error(ErrorKind::io, "registry " + base_url_, "answered with no \"servers\" list",
                  "is it an MCP registry (API v0.1)?");
    for (auto& item : *servers) {
      if (!item.is_object()) continue;
      if (!is_latest(item)) continue;
      if (item.contains("server")) out.push_back(std::move(item["server"]));
    }
    std::string next;
    if (auto metadata = body.find("metadata"); metadata != body.end() && metadata->is_object())
      if (auto it = metadata->find("nextCursor"); it != metadata->end() && it->is_string())
        next = it->get<std::string>();
    if (next.empty()) return out;
    if (!cursors.insert(next).second)
      throw Error(ErrorKind::io, "registry " + base_url_,
                  "gave the cursor " + quote(next) + " twice: its pages never end", "");
    cursor = next;
  }
  throw Error(ErrorKind::io, "registry " + base_url_,
              "has more than " + std::to_string(kMaxPages) + " pages", "");
}

std::optional<json> RegistryClient::server(const std::string& name, const std::string& version) {
  bool missing = false;
  json body = get("/v0.1/servers/" + docker::url_encode(name) + "/versions/" +
                      docker::url_encode(version.empty() ? "latest" : version),
                  true, missing);
  if (missing) return std::nullopt;
  if (!body.contains("server") || !body["server"].is_object())
    throw Error(ErrorKind::io, "registry " + base_url_,
                "answered with no \"server\" for " + quote(name),
                "is it an MCP registry (API v0.1)?");
  return body["server"];
}

std::filesystem::path registry_cache_file(const config::Home& home, const std::string& catalog) {
  return home.root / "cache" / "catalogs" / (catalog + ".json");
}

std::optional<RegistryCache> read_registry_cache(const config::Home& home,
                                                 const std::string& catalog,
                                                 const std::string& url) {
  std::filesystem::path file = registry_cache_file(home, catalog);
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  std::string text;
  try {
    text = read_text_file(file, file.string(), 256u << 20);
  } catch (const Error&) {
    return std::nullopt;
  }
  json data = json::parse(text, nullptr, false);
  if (!data.is_object() || data.value("url", "") != strip_slash(url) || !data.contains("servers") ||
      !data["servers"].is_array())
    return std::nullopt;
  RegistryCache cache;
  cache.url = data["url"];
  cache.fetched_at = data.value("fetchedAt", int64_t{0});
  for (auto& server : data["servers"]) cache.servers.push_back(std::move(server));
  return cache;
}

void write_registry_cache(const config::Home& home, const std::string& catalog,
                          const RegistryCache& cache) {
  std::filesystem::path file = registry_cache_file(home, catalog);
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  json data = {
      {"url", strip_slash(cache.url)}, {"fetchedAt", cache.fetched_at}, {"servers", cache.servers}};
  write_file_atomically(file, file.string(), data.dump() + "\n", {});
}

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string age_since(int64_t when) {
  return age_text(unix_now() - when);
}

std::string age_text(int64_t seconds) {
  if (seconds < 60) return "just now";
  if (seconds < 3600) return std::to_string(seconds / 60) + " min ago";
  if (seconds < 2 * 86400) return std::to_string(seconds / 3600) + " h ago";
  return std::to_string(seconds / 86400) + " days ago";
}

}  // namespace ccmcp::marketplace
