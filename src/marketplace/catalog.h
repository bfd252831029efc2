// The catalogs cc-mcp searches, merged, each package knowing where it came
// from: the embedded default catalog (always there, last), and the folders
// of package files the user added (`cc-mcp catalog add NAME DIR`), kept in
// $CC_MCP_HOME/catalogs.json:
//
//   {"catalogs": [{"name": "team", "kind": "folder", "path": "/abs/dir"},
//                 {"name": "official", "kind": "registry",
//                  "url": "https://registry.modelcontextprotocol.io"}]}
//
// A registry catalog is read through its cache (registry.h).
//
// A folder catalog is every *.json file directly in it, each holding one
// package or a list. A bad file is a diagnostic naming file, line and key;
// the rest of that catalog and the other catalogs are still there.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "config/diagnostic.h"
#include "config/home.h"
#include "marketplace/package.h"

namespace ccmcp::marketplace {

inline constexpr const char* kEmbeddedCatalog = "default";

struct CatalogSource {
  std::string name;
  std::string kind;  // "embedded", "folder", "registry", "git"
  std::filesystem::path path;
  std::string url;         // registry
  int64_t fetched_at = 0;  // registry, git: when it was last fetched (unix seconds)
  bool stale = false;      // registry, git: it had to be fetched anew and could not be
};

struct Catalogs {
  std::vector<CatalogSource> sources;  // the user's first, then the embedded one
  std::vector<Package> packages;       // in source order
  std::vector<config::Diagnostic> diagnostics;

  // The package named `name` (from `catalog` when given), the first one in
  // source order; nullptr when none.
  const Package* find(const std::string& name, const std::string& catalog = {}) const;
  // As find, or Error (not_found) with the nearest name as a hint.
  const Package& require(const std::string& name, const std::string& catalog = {}) const;
  const CatalogSource* source_of(const Package& package) const;
};

struct LoadOptions {
  bool refresh = false;  // registries: fetch anew whatever the age of the cache
};

// "memory@1.2.3" -> {"memory", "1.2.3"}; "memory" -> {"memory", ""}.
std::pair<std::string, std::string> split_name_version(const std::string& text);

// The user's catalog sources (not the embedded one).
std::vector<CatalogSource> user_catalogs(const config::Home& home);

// Reads every source; `only` limits to one catalog by name.
Catalogs load_catalogs(const config::Home& home, const std::string& only = {},
                       const LoadOptions& options = {});

// Adds a folder catalog (absolute path kept). Throws Error: the name taken
// (or "default"), the folder missing.
void add_folder_catalog(const config::Home& home, const std::string& name,
                        const std::filesystem::path& folder);
// The package as install and info must see it: a registry's is asked of
// the registry again (its `version`, the server's version, or the latest),
// so that what is installed is what the registry says now; any other is
// `package` itself. Throws Error: not_found for a version the registry does
// not have, io when it cannot be reached.
Package current_package(const Catalogs& catalogs, const Package& package,
                        const std::string& version);

// Adds an MCP registry at `url` (http or https), after a first fetch of
// its servers (kept in the cache): a URL that is not a registry is refused
// and nothing is added. Returns how many servers it has.
size_t add_registry_catalog(const config::Home& home, const std::string& name,
                            const std::string& url);
// Adds a git repository of package files (*.json at its root), once it was
// cloned ($CC_MCP_HOME/cache/catalogs/NAME.git; catalog refresh fetches it
// anew). Returns how many packages it has.
size_t add_git_catalog(const config::Home& home, const std::string& name, const std::string& url);
// False when there was no such catalog.
bool remove_catalog(const config::Home& home, const std::string& name);

}  // namespace ccmcp::marketplace
