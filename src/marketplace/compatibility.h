// Whether a package can be installed here, checked before anything is
// fetched: a source cc-mcp can build, a version the catalog has, the
// cc-mcp version it needs (minVersion), the environment variables it
// requires, and the platform. Each refusal is an Error saying what to do.
#pragma once

#include <string>

#include "config/model.h"
#include "marketplace/package.h"

namespace ccmcp::marketplace {

struct HostFacts {
  std::string cc_mcp_version;  // CCMCP_VERSION
  std::string platform;        // the engine's "linux/amd64"
};

// Throws Error (usage for what the user can change on the command line,
// config for what the package asks and this cc-mcp cannot give).
// `environment` is what the entry will hold (the package's defaults with
// the user's --env over them).
void check_compatibility(const Package& package, const std::string& version,
                         const config::StringPairs& environment, const HostFacts& host);

// "0.2.0" >= "0.1.9": SemVer order; false when either is not a version.
bool version_at_least(const std::string& have, const std::string& need);

}  // namespace ccmcp::marketplace
