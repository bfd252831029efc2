// A marketplace package: the seed's package format, as catalogs carry it.
//
//   {"name": "filesystem", "title": "Filesystem", "version": "2026.8.31",
//    "description": "...", "author": "Anthropic", "keywords": ["files"],
//    "source": {"type": "npm", "url": "@modelcontextprotocol/server-filesystem"},
//    "docker": {"dockerfile": "...", "baseImage": "...", "buildArgs": {}},
//    "config": {"volumes": {"./project": "/workspace"}, "environment": {"K": "v"},
//               "args": ["/workspace"], "ports": [], "capabilities": ["tools"],
//               "limits": {"memory": "1g"},
//               "network": {"allow": ["api.github.com:443"]}},
//    "environmentVariables": [{"name": "GITHUB_TOKEN", "description": "...",
//                              "isRequired": true, "isSecret": true}],
//    "tests": {"connection": true, "timeout": 30, "calls": [...]},
//    "security": {"permissions": ["filesystem:/workspace"], "sandbox": "strict"},
//    "versions": ["2026.8.31", "2026.7.10"], "minVersion": "0.1.0",
//    "rating": 4.8, "ratingCount": 120, "platforms": ["linux/amd64", "linux/arm64"]}
//
// Only name, description and source are required. Keys a catalog adds that
// cc-mcp does not know are kept out of the way (a newer catalog must not
// break an older cc-mcp); a known key of the wrong shape is an error
// naming the file, line and key.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/diagnostic.h"
#include "config/jsonc.h"
#include "config/model.h"

namespace ccmcp::marketplace {

struct EnvironmentVariable {
  std::string name;
  std::string description;
  bool required = false;
  bool secret = false;
  std::string default_value;
};

struct PackageSource {
  std::string type;  // "npm", "git", "docker"
  std::string url;   // the npm package, the repository, the image
  std::string path;  // git: the folder inside the repository
};

struct Package {
  std::string name, title, version, description, author;
  std::vector<std::string> keywords;
  PackageSource source;
  std::string dockerfile, base_image;
  config::StringPairs build_args;
  config::StringPairs volumes;  // host (relative to mcp.json) -> container
  config::StringPairs environment;
  std::vector<std::string> args;
  std::vector<int> ports;
  std::vector<std::string> capabilities;
  nlohmann::json limits;  // {"memory": "1g", "cpus": 2, "pids": 512} as written; mcp.json checks it
  // Where it must connect, as mcp.json's "network" says it ("full", or
  // {"allow": [...]}); null: nowhere. mcp.json checks it.
  nlohmann::json network;
  std::vector<EnvironmentVariable> variables;
  nlohmann::json tests;  // the tests block as written (testing/package_tests.h reads it)
  std::vector<std::string> permissions;
  std::string sandbox;
  std::vector<std::string> versions;  // newest first as the catalog gives them
  std::string min_version;            // of cc-mcp
  std::optional<double> rating;
  std::optional<int> rating_count;
  std::vector<std::string> remotes;    // hosted endpoints (shown, not installable)
  std::vector<std::string> platforms;  // "linux/amd64", ...; empty: any

  // From an MCP registry (server_json.h): its full name ("io.github.o/x")
  // and the server's own version (`version` is the package's to install).
  std::string registry_name;
  std::string server_version;

  // Where it came from, for messages: "catalog NAME (FILE:LINE)".
  std::string catalog;
  std::string file;
  int line = 0;
};

// Reads one package object at `path` of `document` (a file of one package,
// or one item of a catalog's list). Problems go to `diagnostics` (file
// `display`); nullopt when the package cannot be used.
std::optional<Package> read_package(const config::JsoncDocument& document,
                                    const config::JsonPath& path, const std::string& display,
                                    std::vector<config::Diagnostic>& diagnostics);

// All packages of a text: one object, or an array of them (the embedded
// catalog), or {"packages": [...]}. A package with problems is left out;
// the others are kept.
std::vector<Package> read_packages(const std::string& text, const std::string& display,
                                   std::vector<config::Diagnostic>& diagnostics);

nlohmann::ordered_json to_json(const Package& package);

}  // namespace ccmcp::marketplace
