// How each kind of catalog source is read into a Catalogs (internal to
// src/marketplace): a folder of package files, an MCP registry through its
// cache (registry.h), a git repository through its clone.
#pragma once

#include "config/home.h"
#include "marketplace/catalog.h"
#include "marketplace/registry.h"

namespace ccmcp::marketplace::detail {

void load_folder(const CatalogSource& source, Catalogs& out);

// The registry's cache when younger than kRegistryCacheTtl (unless
// `refresh`), else the registry read anew; an old cache when it cannot be.
void load_registry(const config::Home& home, CatalogSource& source, Catalogs& out,
                   const LoadOptions& options);
RegistryCache fetch_registry(const config::Home& home, const CatalogSource& source);

// A git catalog: its clone ($CC_MCP_HOME/cache/catalogs/NAME.git) read as a
// folder; the remote is asked only at add and refresh.
void load_git(const config::Home& home, CatalogSource& source, Catalogs& out,
              const LoadOptions& options);
// Clones or fetches; returns the commit. Throws Error (build) when the
// repository cannot be had.
std::string fetch_git_catalog(const config::Home& home, const CatalogSource& source);

}  // namespace ccmcp::marketplace::detail
