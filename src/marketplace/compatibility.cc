#include "marketplace/compatibility.h"

#include <algorithm>

#include "util/error.h"
#include "util/semver.h"
#include "util/strings.h"

namespace ccmcp::marketplace {

bool version_at_least(const std::string& have, const std::string& need) {
  auto a = parse_semver(have), b = parse_semver(need);
  return a && b && compare(*a, *b) >= 0;
}

void check_compatibility(const Package& package, const std::string& version,
                         const config::StringPairs& environment, const HostFacts& host) {
  const std::string subject = quote(package.name);
  const std::string& type = package.source.type;
  if (type.empty())
    throw Error(ErrorKind::config, subject,
                "is a hosted server (" +
                    (package.remotes.empty() ? "no package" : package.remotes[0]) +
                    "): there is nothing to run here",
                "add its URL to your MCP client's config instead");
  if (type == "pypi")
    throw Error(ErrorKind::config, subject,
                "is a PyPI package (" + package.source.url +
                    "); cc-mcp installs npm, git and docker sources",
                "run it with cc-mcp's external mode: an mcp.json entry with \"command\": \"uvx\"");
  if (type != "npm" && type != "git" && type != "docker")
    throw Error(ErrorKind::config, subject, "has a source of type " + quote(type),
                "cc-mcp installs npm, git and docker sources");
  if (!version.empty() && !package.versions.empty() &&
      std::find(package.versions.begin(), package.versions.end(), version) ==
          package.versions.end())
    throw Error(ErrorKind::not_found, quote(package.name + "@" + version),
                "is not a version " + package.catalog + " lists",
                "versions: " + join(package.versions, ", "));
  if (!package.min_version.empty()) {
    if (!parse_semver(package.min_version))
      throw Error(ErrorKind::config, subject,
                  "asks for cc-mcp " + quote(package.min_version) + ", which is not a version",
                  "tell the catalog's owner (" + package.catalog + ")");
    if (!version_at_least(host.cc_mcp_version, package.min_version))
      throw Error(
          ErrorKind::config, subject,
          "needs cc-mcp " + package.min_version + " or newer; this is " + host.cc_mcp_version,
          "update cc-mcp, or install an older version of it");
  }
  std::vector<std::string> missing;
  for (const auto& variable : package.variables) {
    if (!variable.required || !variable.default_value.empty()) continue;
    bool given = std::any_of(environment.begin(), environment.end(),
                             [&](const auto& pair) { return pair.first == variable.name; });
    if (!given) missing.push_back(variable.name);
  }
  if (!missing.empty()) {
    std::vector<std::string> flags;
    for (const auto& name : missing) flags.push_back("--env " + name + "=...");
    throw Error(
        ErrorKind::usage, subject, "needs " + join(missing, ", ") + " in its environment",
        "give " + join(flags, " ") + "; cc-mcp info " + package.name + " says what each is");
  }
  if (!package.platforms.empty() && !host.platform.empty() &&
      std::find(package.platforms.begin(), package.platforms.end(), host.platform) ==
          package.platforms.end())
    throw Error(
        ErrorKind::config, subject,
        "runs on " + join(package.platforms, ", ") + ", not on this engine's " + host.platform,
        "install it where its platform is");
}

}  // namespace ccmcp::marketplace
