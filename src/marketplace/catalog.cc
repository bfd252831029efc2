#include "marketplace/catalog.h"

#include <algorithm>

#include "config/units.h"
#include "marketplace/embedded_catalog.h"
#include "util/error.h"
#include "util/file_lock.h"
#include "util/fs.h"
#include "util/strings.h"

namespace ccmcp::marketplace {

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

void load_folder(const CatalogSource& source, Catalogs& out) {
  std::error_code ec;
  if (!std::filesystem::is_directory(source.path, ec)) {
    config::Diagnostic diagnostic;
    diagnostic.file = source.path.string();
    diagnostic.problem = "the folder of catalog " + quote(source.name) + " is gone";
    diagnostic.hint = "cc-mcp catalog remove " + source.name + ", or put the folder back";
    out.diagnostics.push_back(std::move(diagnostic));
    return;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(source.path, ec))
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::string text;
    try {
      text = read_text_file(file, file.string(), 4u << 20);
    } catch (const Error& error) {
      config::Diagnostic diagnostic;
      diagnostic.file = file.string();
      diagnostic.problem = error.problem();
      out.diagnostics.push_back(std::move(diagnostic));
      continue;
    }
    for (auto& package : read_packages(text, file.string(), out.diagnostics)) {
      package.catalog = source.name;
      out.packages.push_back(std::move(package));
    }
  }
}

}  // namespace

const Package* Catalogs::find(const std::string& name, const std::string& catalog) const {
  for (const auto& package : packages)
    if (package.name == name && (catalog.empty() || package.catalog == catalog)) return &package;
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
    out.push_back({item.value("name", ""), item.value("kind", "folder"), item.value("path", "")});
  }
  return out;
}

Catalogs load_catalogs(const config::Home& home, const std::string& only) {
  Catalogs out;
  out.sources = user_catalogs(home);
  out.sources.push_back({kEmbeddedCatalog, "embedded", {}});
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
  for (const auto& source : out.sources) {
    if (source.kind == "embedded") {
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
  if (!config::is_valid_server_name(name) || name == kEmbeddedCatalog)
    throw Error(
        ErrorKind::usage, "catalog " + quote(name),
        name == kEmbeddedCatalog ? "is the name of the embedded catalog" : "is not a usable name",
        "letters, digits, '.', '_' and '-', e.g. team");
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(folder, ec).lexically_normal();
  if (!std::filesystem::is_directory(absolute, ec))
    throw Error(ErrorKind::not_found, quote(folder.string()), "is not a folder",
                "give the folder that holds the package files (*.json)");
  FileLock lock(home.root / "catalogs.lock", std::chrono::seconds(10), "another cc-mcp");
  Json json = read_catalogs_file(home);
  for (const auto& item : json["catalogs"])
    if (item.is_object() && item.value("name", "") == name)
      throw Error(ErrorKind::conflict, "catalog " + quote(name), "exists already",
                  "cc-mcp catalog remove " + name + " first, or pick another name");
  json["catalogs"].push_back({{"name", name}, {"kind", "folder"}, {"path", absolute.string()}});
  write_catalogs_file(home, json);
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
  return true;
}

}  // namespace ccmcp::marketplace
