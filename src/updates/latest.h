// What a server's source offers now, asked of the source itself: npm's
// registry metadata, a git remote's branches and tags (no clone), a local
// folder's content digest. One call per server; check.h runs them side by
// side.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "config/home.h"
#include "images/plan.h"

namespace ccmcp::updates {

struct LatestVersion {
  std::string version;  // as the image would be tagged: "2026.8.31", "v2", "1a2b3c4d5e6f", "sha-…"
  std::string commit;   // git: the full commit id
  // mcp.json names one exact version (an npm version, a git tag or commit):
  // `version` is then the newest the source has, which update does not move
  // to until mcp.json says so.
  bool pinned = false;
  std::string pinned_to;  // what mcp.json names, when pinned
};

// Throws Error (build) when the source cannot be asked: unreachable, no
// such package, branch or folder. `timeout` bounds each network step.
LatestVersion latest_version(const images::ImagePlan& plan, std::chrono::seconds timeout);

// The newest of a remote's tags: by SemVer precedence for tags that are
// versions ("v1.10.0" after "v1.9.2"; pre-releases below their release),
// which win over any other tag; among other tags the greatest name, runs
// of digits compared by value ("v10" after "v9").
// nullopt when there are none.
std::optional<std::string> newest_tag(const std::map<std::string, std::string>& tags);

}  // namespace ccmcp::updates
