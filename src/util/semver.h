// npm's versions: Semantic Versioning 2.0.0 (https://semver.org), which npm
// enforces for every published version. The dependency scan compares the
// versions it finds in an image with the bounds of OSV advisories; npm
// resolution and update checks pick the newest of several versions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ccmcp {

struct SemVer {
  uint64_t major = 0, minor = 0, patch = 0;
  std::vector<std::string> prerelease;  // "beta.1" -> {"beta", "1"}; empty for a release
  std::string build;                    // "build.5"; kept, but never part of the order
};

// Parses "1.2.3", "v1.2.3", "=1.2.3" or "1.2.3-beta.1+build.5" (blanks
// around it allowed, as npm's semver.clean does). Strict otherwise: three
// numbers without leading zeros, no ranges, no "1.2".
std::optional<SemVer> parse_semver(std::string_view text);

// SemVer precedence (section 11): negative, zero or positive. Build
// metadata is ignored, so 1.0.0+a and 1.0.0+b compare equal.
int compare(const SemVer& a, const SemVer& b);

// "1.2.3-beta.1+build.5"
std::string to_string(const SemVer& version);

// Whether `version` may satisfy an npm range such as package.json's
// "engines": ">=20.18.1", "^18 || >=20", "18.x", "16 - 20", "~18.19".
// Alternatives (||) of comparators (>=, >, <=, <, =, ^, ~, x-ranges,
// hyphen ranges); partial versions fill with zeros. A range it cannot read
// gives true: refusing on a misreading would be worse than trying.
bool range_may_accept(const SemVer& version, std::string_view range);

}  // namespace ccmcp
