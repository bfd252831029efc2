#include "testing/dependency_scan.h"

#include <algorithm>
#include <filesystem>
#include <string_view>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "util/error.h"

namespace ccmcp::tester {
namespace {

using json = nlohmann::json;

constexpr std::string_view kNodeModules = "node_modules/";

// The folders of an absolute path, "/app/node_modules/x/package.json" ->
// {"app", "node_modules", "x"}, and its file name.
std::vector<std::string_view> folders_of(std::string_view path, std::string_view& file) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      file = path.substr(start);
      return out;
    }
    if (slash > start) out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
}

// The package a package.json belongs to, from its folder: "" unless it sits
// directly in node_modules/<name>/ or node_modules/@scope/<name>/.
std::string folder_package(const std::vector<std::string_view>& folders) {
  size_t n = folders.size();
  if (n >= 2 && folders[n - 2] == "node_modules" && folders[n - 1][0] != '.' &&
      folders[n - 1][0] != '@')
    return std::string(folders[n - 1]);
  if (n >= 3 && folders[n - 3] == "node_modules" && folders[n - 2].size() > 1 &&
      folders[n - 2][0] == '@' && folders[n - 1][0] != '.')
    return std::string(folders[n - 2]) + "/" + std::string(folders[n - 1]);
  return "";
}

// npm's own lockfiles. A package-lock.json inside an installed package is
// ignored by npm (only npm-shrinkwrap.json is honored there), so it says
// nothing about what is installed.
bool is_lockfile(const std::vector<std::string_view>& folders, std::string_view file) {
  bool in_node_modules = std::find(folders.begin(), folders.end(), "node_modules") != folders.end();
  if (file == "npm-shrinkwrap.json") return true;
  if (file == "package-lock.json") return !in_node_modules;
  return file == ".package-lock.json" && !folders.empty() && folders.back() == "node_modules";
}

std::string string_at(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool is_dev(const json& entry) {
  auto dev = entry.find("dev");
  return dev != entry.end() && dev->is_boolean() && dev->get<bool>();
}

class Collector {
 public:
  explicit Collector(std::vector<NpmPackage>& out) : out_(out) {}
  void add(std::string name, std::string version, std::string source) {
    if (name.empty() || version.empty()) return;
    if (!seen_.insert(name + "@" + version).second) return;
    out_.push_back({std::move(name), std::move(version), std::move(source)});
  }

 private:
  std::vector<NpmPackage>& out_;
  std::unordered_set<std::string> seen_;
};

// lockfileVersion 2 and 3: "packages" keyed by install path. Keys outside
// node_modules are the project and its workspaces, not dependencies.
void add_packages_map(const json& packages, const std::string& path, Collector& collector) {
  for (const auto& [key, entry] : packages.items()) {
    size_t last = key.rfind(kNodeModules);
    if (last == std::string::npos || !entry.is_object() || is_dev(entry)) continue;
    // An alias (npm install x@npm:lodash@4) is installed as x; "name" is the real package.
    std::string name = string_at(entry, "name");
    if (name.empty()) name = key.substr(last + kNodeModules.size());
    collector.add(name, string_at(entry, "version"), path + ": " + key);
  }
}

// lockfileVersion 1: a tree of "dependencies" by name, where "version" is
// a version, an alias ("npm:lodash@4.17.21") or a git/file/URL spec; the
// last are not registry versions and are skipped.
void add_dependency_tree(const json& dependencies, const std::string& prefix,
                         const std::string& path, Collector& collector) {
  for (const auto& [name, entry] : dependencies.items()) {
    if (!entry.is_object() || is_dev(entry)) continue;
    std::string install_path = prefix + std::string(kNodeModules) + name;
    std::string real_name = name, version = string_at(entry, "version");
    if (version.rfind("npm:", 0) == 0) {
      size_t at = version.rfind('@');
      if (at != std::string::npos && at > 4) {
        real_name = version.substr(4, at - 4);
        version = version.substr(at + 1);
      }
    }
    if (parse_semver(version)) collector.add(real_name, version, path + ": " + install_path);
    if (auto nested = entry.find("dependencies"); nested != entry.end() && nested->is_object())
      add_dependency_tree(*nested, install_path + "/", path, collector);
  }
}

int severity_rank(const std::string& severity) {
  static const char* const kOrder[] = {"unknown", "low", "moderate", "high", "critical"};
  for (int rank = 0; rank < 5; ++rank)
    if (severity == kOrder[rank]) return rank;
  return -1;
}

std::string plural(size_t count, const char* one, const char* many) {
  return std::to_string(count) + " " + (count == 1 ? one : many);
}

std::string message_of(const Advisory& advisory) {
  std::string out = advisory.id;
  if (!advisory.aliases.empty()) {
    out += " (";
    for (size_t i = 0; i < advisory.aliases.size(); ++i)
      out += (i ? ", " : "") + advisory.aliases[i];
    out += ")";
  }
  out += advisory.severity == "unknown" ? ", severity unknown" : ", " + advisory.severity;
  out += ": " + (advisory.summary.empty() ? std::string("no summary") : advisory.summary);
  out += advisory.fixed.empty() ? "; no fixed version" : "; fixed in " + advisory.fixed;
  return out;
}

}  // namespace

std::vector<NpmPackage> npm_packages(
    const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<NpmPackage> out;
  Collector collector(out);
  for (const auto& [path, content] : files) {
    std::string_view file;
    std::vector<std::string_view> folders = folders_of(path, file);
    std::string folder_name = file == "package.json" ? folder_package(folders) : "";
    bool lockfile = is_lockfile(folders, file);
    if (folder_name.empty() && !lockfile) continue;
    json document = json::parse(content, nullptr, /*allow_exceptions=*/false);
    if (!document.is_object()) continue;
    if (!lockfile) {
      std::string name = string_at(document, "name");
      collector.add(name.empty() ? folder_name : name, string_at(document, "version"), path);
    } else if (auto packages = document.find("packages");
               packages != document.end() && packages->is_object()) {
      add_packages_map(*packages, path, collector);
    } else if (auto tree = document.find("dependencies");
               tree != document.end() && tree->is_object()) {
      add_dependency_tree(*tree, "", path, collector);
    }
  }
  return out;
}

Findings scan_dependencies(const std::vector<NpmPackage>& packages, const OsvDatabase& db,
                           const DependencyScanOptions& options) {
  int fail_rank = severity_rank(options.fail_at);
  if (fail_rank < 0)
    throw Error(ErrorKind::usage, quote(options.fail_at), "is not a severity",
                "use critical, high, moderate, low or unknown");
  std::vector<std::pair<int, Finding>> ranked;
  for (const auto& package : packages) {
    for (const auto& advisory : db.affecting("npm", package.name, package.version)) {
      int rank = severity_rank(advisory.severity);
      Finding finding;
      finding.rule = "dependency.vulnerable";
      finding.severity = rank >= fail_rank ? Severity::fail : Severity::warn;
      finding.message = message_of(advisory);
      finding.evidence = package.name + "@" + package.version + " (" + package.source + ")";
      ranked.emplace_back(rank, std::move(finding));
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  Findings out;
  for (auto& [rank, finding] : ranked) out.push_back(std::move(finding));

  Finding inventory;
  inventory.rule = "dependency.inventory";
  inventory.severity = Severity::info;
  inventory.message = plural(packages.size(), "npm package", "npm packages") + " checked against " +
                      plural(db.size(), "advisory", "advisories");
  inventory.evidence = db.folder().string();
  out.push_back(std::move(inventory));
  return out;
}

}  // namespace ccmcp::tester
