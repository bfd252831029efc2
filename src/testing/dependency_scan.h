// The dependency part of the security scan: the npm packages an image
// carries, checked against an offline OSV database. Rules:
//   dependency.vulnerable  fail  a package version an advisory at or above
//                                 DependencyScanOptions::fail_at affects
//                          warn  ... an advisory below it
//   dependency.inventory   info  how many packages were checked against
//                                 how many advisories
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "testing/finding.h"
#include "testing/osv.h"

namespace ccmcp::tester {

struct NpmPackage {
  std::string name, version;
  // Where it was seen: "/app/node_modules/minimist/package.json" or
  // "/app/package-lock.json: node_modules/minimist".
  std::string source;
};

// The packages in the image's files, given as (absolute path, content):
// every package.json directly in a node_modules/<name>/ or
// node_modules/@scope/<name>/ folder (nested node_modules too), and the
// entries of lockfiles (package-lock.json, npm-shrinkwrap.json and npm's
// node_modules/.package-lock.json; the v2/v3 "packages" map, else the v1
// "dependencies" tree). Entries marked "dev" are left out: npm installs
// them only for development, and one that is installed is seen by its
// package.json anyway. Deduplicated by name@version, keeping the first
// source; a file that does not parse is no evidence and is skipped.
std::vector<NpmPackage> npm_packages(const std::vector<std::pair<std::string, std::string>>& files);

struct DependencyScanOptions {
  // Advisories of this severity or worse fail, the others warn: one of
  // "critical", "high", "moderate", "low", "unknown" (everything fails).
  std::string fail_at = "high";
};

// One finding per (package, advisory), worst severity first, then the
// inventory. Throws Error (kind usage) when fail_at is not a severity.
Findings scan_dependencies(const std::vector<NpmPackage>& packages, const OsvDatabase& db,
                           const DependencyScanOptions& options = {});

}  // namespace ccmcp::tester
