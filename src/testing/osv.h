// An offline copy of an OSV vulnerability database (https://ossf.github.io/osv-schema/),
// laid out as osv.dev exports it: a folder of JSON files, one advisory each
// (e.g. the unzipped https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip).
// The tester reads it from disk so that a scan needs no network and gives
// the same answer every time for the same copy.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "util/semver.h"

namespace ccmcp::tester {

struct Advisory {
  std::string id;                    // "GHSA-xvch-5gv4-984h"
  std::vector<std::string> aliases;  // "CVE-2021-44906"
  std::string summary;
  std::string severity;  // "critical", "high", "moderate", "low" or "unknown"
  std::string fixed;     // first fixed version of the range that matched, or ""
  std::string file;      // the advisory's file in the database
};

// The CVSS v3.x base score (0.0 to 10.0) of a vector such as
// "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", by the CVSS 3.1
// specification's formula; nullopt when it is not a complete v3 vector.
std::optional<double> cvss3_base_score(std::string_view vector);

// The qualitative rating of a score: 9.0+ critical, 7.0+ high, 4.0+
// moderate, above 0 low, else unknown.
std::string severity_of_score(double score);

class OsvDatabase {
 public:
  // Reads every *.json file under `dir`, recursively. Throws Error (kind
  // io) only when `dir` is not a readable folder; a file that cannot be read
  // or is not an advisory is noted in errors() and the others still load.
  static OsvDatabase load(const std::filesystem::path& dir);

  // The advisories (not withdrawn) that affect this version of the package,
  // by id. Versions are compared as SemVer for SEMVER ranges and for
  // ECOSYSTEM ranges of npm; other ranges (GIT, or another ecosystem's own
  // order) are not evaluated, but a version listed in versions[] matches.
  std::vector<Advisory> affecting(std::string_view ecosystem, std::string_view name,
                                  std::string_view version) const;

  size_t size() const { return records_.size(); }                     // advisories loaded
  const std::vector<std::string>& errors() const { return errors_; }  // "FILE: problem"
  const std::filesystem::path& folder() const { return folder_; }

  // Pieces of an advisory as indexed; public for the loader's helpers only.
  struct Event {
    enum class Kind { introduced, fixed, last_affected, limit } kind;
    std::optional<SemVer> version;  // nullopt: "0" (introduced) or "*" (limit)
    std::string text;               // as written, for Advisory::fixed
  };
  struct Affected {
    size_t record = 0;                       // index into records_
    std::vector<std::vector<Event>> ranges;  // each sorted by version, stable
    std::vector<std::string> versions;       // listed versions, matched exactly
  };

 private:
  std::filesystem::path folder_;
  std::vector<Advisory> records_;  // with `fixed` empty
  // "ecosystem\0name" -> the affected[] entries naming that package.
  std::unordered_map<std::string, std::vector<Affected>> index_;
  std::vector<std::string> errors_;
};

}  // namespace ccmcp::tester
