#include "marketplace/catalog_sources.h"

#include <algorithm>

#include "marketplace/server_json.h"
#include "sources/git.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/strings.h"

namespace ccmcp::marketplace::detail {

namespace {

config::Diagnostic catalog_problem(const CatalogSource& source, config::Severity severity,
                                   std::string problem, std::string hint) {
  config::Diagnostic diagnostic;
  diagnostic.severity = severity;
  diagnostic.file = "catalog " + source.name + " (" + source.url + ")";
  diagnostic.pos.line = 0;
  diagnostic.problem = std::move(problem);
  diagnostic.hint = std::move(hint);
  return diagnostic;
}

}  // namespace

void load_folder(const CatalogSource& source, Catalogs& out) {
  std::error_code ec;
  if (!std::filesystem::is_directory(source.path, ec)) {
    config::Diagnostic diagnostic;
    diagnostic.file = source.path.string();
    diagnostic.pos.line = 0;
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

RegistryCache fetch_registry(const config::Home& home, const CatalogSource& source) {
  auto http = net::make_curl_client();
  RegistryClient client(*http, source.url);
  RegistryCache cache;
  cache.url = source.url;
  cache.fetched_at = unix_now();
  cache.servers = client.list_all();
  write_registry_cache(home, source.name, cache);
  return cache;
}

void load_registry(const config::Home& home, CatalogSource& source, Catalogs& out,
                   const LoadOptions& options) {
  auto cache = read_registry_cache(home, source.name, source.url);
  int64_t now = unix_now();
  bool fresh = cache && now - cache->fetched_at >= 0 &&
               now - cache->fetched_at < std::chrono::seconds(kRegistryCacheTtl).count();
  if (!fresh || options.refresh) {
    try {
      cache = fetch_registry(home, source);
    } catch (const Error& error) {
      if (!cache) {
        out.diagnostics.push_back(
            catalog_problem(source, config::Severity::error, error.problem(), error.hint()));
        return;
      }
      source.stale = true;
      out.diagnostics.push_back(
          catalog_problem(source, config::Severity::warning,
                          "could not be refreshed (" + error.problem() +
                              "); using its cache from " + age_since(cache->fetched_at),
                          "cc-mcp catalog refresh " + source.name + " tries again"));
    }
  }
  source.fetched_at = cache->fetched_at;
  for (const auto& server : cache->servers)
    if (auto package =
            package_from_server_json(server, "catalog " + source.name, out.diagnostics)) {
      package->catalog = source.name;
      out.packages.push_back(std::move(*package));
    }
}

namespace {

std::filesystem::path clone_dir(const config::Home& home, const std::string& name) {
  return home.root / "cache" / "catalogs" / (name + ".git");
}
std::filesystem::path fetched_file(const config::Home& home, const std::string& name) {
  return home.root / "cache" / "catalogs" / (name + ".git-fetched");
}

config::Source git_source(const CatalogSource& source) {
  config::Source git;
  git.type = config::SourceType::git;
  git.repository = source.url;
  return git;
}

}  // namespace

std::string fetch_git_catalog(const config::Home& home, const CatalogSource& source) {
  std::filesystem::path dir = clone_dir(home, source.name);
  std::error_code ec;
  std::filesystem::create_directories(dir.parent_path(), ec);
  sources::GitCheckout checkout = sources::git_checkout(git_source(source), dir);
  write_file_atomically(fetched_file(home, source.name), fetched_file(home, source.name).string(),
                        std::to_string(unix_now()) + " " + checkout.commit + "\n", {});
  return checkout.commit;
}

void load_git(const config::Home& home, CatalogSource& source, Catalogs& out,
              const LoadOptions& options) {
  std::filesystem::path dir = clone_dir(home, source.name);
  std::error_code ec;
  if (options.refresh || !std::filesystem::is_directory(dir, ec)) {
    try {
      fetch_git_catalog(home, source);
    } catch (const Error& error) {
      bool have_clone = std::filesystem::is_directory(dir, ec);
      source.stale = true;
      out.diagnostics.push_back(catalog_problem(
          source, have_clone ? config::Severity::warning : config::Severity::error,
          (have_clone ? "could not be fetched (" + error.problem() + "); using its clone"
                      : error.problem()),
          "cc-mcp catalog refresh " + source.name + " tries again"));
      if (!have_clone) return;
    }
  }
  try {
    std::string text = read_text_file(fetched_file(home, source.name), "", 1024);
    source.fetched_at = std::stoll(text);
  } catch (...) {
    source.fetched_at = 0;
  }
  CatalogSource folder = source;
  folder.path = dir;
  load_folder(folder, out);
}

}  // namespace ccmcp::marketplace::detail
