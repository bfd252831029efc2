#include "marketplace/catalog.h"

#include <algorithm>

#include "config/units.h"
#include "marketplace/catalog_sources.h"
#include "marketplace/embedded_catalog.h"
#include "marketplace/registry.h"
#include "marketplace/server_json.h"
#include "util/error.h"
#include "util/file_lock.h"
#include "util/fs.h"
#include "util/strings.h"

namespace ccmcp::marketplace {

using namespace detail;

using Json = nlohmann::ordered_json;

namespace {

std::filesystem::path catalogs_file(const config::Home& home) {
  return home.root / "catalogs.json";
}

Json read_catalogs_file(const config::Home& home) {
  std::filesystem::path file = catalogs_file(home);
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return Json{{"catalogs", Json::array()}};
  Json json = Json::parse(read_text_file(file, file.string(), 1u << 20), nullptr, false);
  if (!json.is_object() || !json.contains("catalogs") || !json["catalogs"].is_array())
    throw Error(ErrorKind::config, file.string(), "is not a catalog list",
                "fix it or remove it (cc-mcp catalog add makes a new one)");
  return json;
}

void write_catalogs_file(const config::Home& home, const Json& json) {
  write_file_atomically(catalogs_file(home), catalogs_file(home).string(), json.dump(2) + "\n", {});
}

Error catalog_exists(const std::string& name) {
  return Error(ErrorKind::conflict, "catalog " + quote(name), "exists already",
               "cc-mcp catalog remove " + name + " first, or pick another name");
}

void add_catalog_entry(const config::Home& home, const std::string& name, const Json& item) {
  FileLock lock(home.root / "catalogs.lock", std::chrono::seconds(10), "another cc-mcp");
  Json json = read_catalogs_file(home);
  for (const auto& existing : json["catalogs"])
    if (existing.is_object() && existing.value("name", "") == name) throw catalog_exists(name);
  json["catalogs"].push_back(item);
  write_catalogs_file(home, json);
}

void check_catalog_name(const std::string& name) {
  if (!config::is_valid_server_name(name) || name == kEmbeddedCatalog)
    throw Error(
        ErrorKind::usage, "catalog " + quote(name),
        name == kEmbeddedCatalog ? "is the name of the embedded catalog" : "is not a usable name",
        "letters, digits, '.', '_' and '-', e.g. team");
}

}  // namespace

const CatalogSource* Catalogs::source_of(const Package& package) const {
  for (const auto& source : sources)
    if (source.name == package.catalog) return &source;
  return nullptr;
}

const Package* Catalogs::find(const std::string& name, const std::string& catalog) const {
  for (const auto& package : packages)
    if ((package.name == name ||
         (!package.registry_name.empty() && package.registry_name == name)) &&
        (catalog.empty() || package.catalog == catalog))
      return &package;
  return nullptr;
}

const Package& Catalogs::require(const std::string& name, const std::string& catalog) const {
  if (const Package* package = find(name, catalog)) return *package;
  std::vector<std::string> names;
  for (const auto& p : packages) names.push_back(p.name);
  std::string hint = "cc-mcp search " + name + " looks wider";
  if (auto near = nearest_match(name, names)) hint = "did you mean " + quote(*near) + "?";
  throw Error(ErrorKind::not_found, quote(name),
              catalog.empty() ? "is in no catalog" : "is not in catalog " + quote(catalog), hint);
}

std::pair<std::string, std::string> split_name_version(const std::string& text) {
  auto at = text.rfind('@');
  if (at == std::string::npos || at == 0) return {text, ""};
  return {text.substr(0, at), text.substr(at + 1)};
}

std::vector<CatalogSource> user_catalogs(const config::Home& home) {
  std::vector<CatalogSource> out;
  Json json = read_catalogs_file(home);  // kept alive for the loop
  for (const auto& item : json["catalogs"]) {
    if (!item.is_object()) continue;
    out.push_back({item.value("name", ""), item.value("kind", "folder"), item.value("path", ""),
                   item.value("url", ""), 0});
  }
  return out;
}

Catalogs load_catalogs(const config::Home& home, const std::string& only,
                       const LoadOptions& options) {
  Catalogs out;
  out.sources = user_catalogs(home);
  out.sources.push_back({kEmbeddedCatalog, "embedded", {}, {}, 0});
  if (!only.empty()) {
    auto it = std::find_if(out.sources.begin(), out.sources.end(),
                           [&](const CatalogSource& source) { return source.name == only; });
    if (it == out.sources.end()) {
      std::vector<std::string> names;
      for (const auto& source : out.sources) names.push_back(source.name);
      throw Error(ErrorKind::not_found, "catalog " + quote(only), "is not one of yours",
                  "catalogs: " + join(names, ", ") + " (cc-mcp catalog list)");
    }
    out.sources = {*it};
  }
  for (auto& source : out.sources) {
    if (source.kind == "registry") {
      load_registry(home, source, out, options);
    } else if (source.kind == "git") {
      load_git(home, source, out, options);
    } else if (source.kind == "embedded") {
      for (auto& package :
           read_packages(embedded_catalog_text(), "(embedded catalog)", out.diagnostics)) {
        package.catalog = kEmbeddedCatalog;
        package.file.clear();
        out.packages.push_back(std::move(package));
      }
    } else {
      load_folder(source, out);
    }
  }
  return out;
}

void add_folder_catalog(const config::Home& home, const std::string& name,
                        const std::filesystem::path& folder) {
  check_catalog_name(name);
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(folder, ec).lexically_normal();
  if (!std::filesystem::is_directory(absolute, ec))
    throw Error(ErrorKind::not_found, quote(folder.string()), "is not a folder",
                "give the folder that holds the package files (*.json)");
  add_catalog_entry(home, name, {{"name", name}, {"kind", "folder"}, {"path", absolute.string()}});
}

Package current_package(const Catalogs& catalogs, const Package& package,
                        const std::string& version) {
  const CatalogSource* source = catalogs.source_of(package);
  if (!source || source->kind != "registry") return package;
  auto http = net::make_curl_client();
  RegistryClient client(*http, source->url);
  auto server = client.server(package.registry_name, version.empty() ? "latest" : version);
  if (!server)
    throw Error(ErrorKind::not_found,
                quote(package.registry_name + (version.empty() ? "" : "@" + version)),
                "is not in registry " + source->name + " (" + source->url + ")",
                version.empty() ? "cc-mcp catalog refresh " + source->name + " reads it anew"
                                : "cc-mcp info " + package.name + " shows its latest version");
  std::vector<config::Diagnostic> diagnostics;
  auto fresh = package_from_server_json(*server, "catalog " + source->name, diagnostics);
  if (!fresh)
    throw Error(ErrorKind::io, "registry " + source->url,
                "answered with an unusable server.json for " + quote(package.registry_name) +
                    (diagnostics.empty() ? "" : ": " + diagnostics[0].format()),
                "");
  fresh->catalog = source->name;
  return *fresh;
}

size_t add_registry_catalog(const config::Home& home, const std::string& name,
                            const std::string& url) {
  check_catalog_name(name);
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
    throw Error(ErrorKind::usage, "--registry " + quote(url), "is not an http(s) URL",
                "e.g. --registry https://registry.modelcontextprotocol.io");
  for (const auto& source : user_catalogs(home))
    if (source.name == name) throw catalog_exists(name);
  CatalogSource source{name, "registry", {}, url, 0};
  RegistryCache cache = fetch_registry(home, source);  // refuses what is not a registry
  add_catalog_entry(home, name, {{"name", name}, {"kind", "registry"}, {"url", url}});
  return cache.servers.size();
}

size_t add_git_catalog(const config::Home& home, const std::string& name, const std::string& url) {
  check_catalog_name(name);
  for (const auto& source : user_catalogs(home))
    if (source.name == name) throw catalog_exists(name);
  CatalogSource source{name, "git", {}, url, 0};
  fetch_git_catalog(home, source);  // refuses a repository that cannot be had
  Catalogs probe;
  load_git(home, source, probe, {});
  add_catalog_entry(home, name, {{"name", name}, {"kind", "git"}, {"url", url}});
  return probe.packages.size();
}

bool remove_catalog(const config::Home& home, const std::string& name) {
  FileLock lock(home.root / "catalogs.lock", std::chrono::seconds(10), "another cc-mcp");
  Json json = read_catalogs_file(home);
  Json kept = Json::array();
  bool removed = false;
  for (const auto& item : json["catalogs"]) {
    if (item.is_object() && item.value("name", "") == name)
      removed = true;
    else
      kept.push_back(item);
  }
  if (!removed) return false;
  json["catalogs"] = kept;
  write_catalogs_file(home, json);
  std::error_code ec;
  std::filesystem::remove(registry_cache_file(home, name), ec);
  std::filesystem::remove_all(home.root / "cache" / "catalogs" / (name + ".git"), ec);
  std::filesystem::remove(home.root / "cache" / "catalogs" / (name + ".git-fetched"), ec);
  return true;
}

}  // namespace ccmcp::marketplace
