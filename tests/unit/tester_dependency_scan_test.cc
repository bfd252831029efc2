#include "testing/dependency_scan.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "test_util.h"
#include "util/error.h"

namespace ccmcp::tester {
namespace {

using Files = std::vector<std::pair<std::string, std::string>>;

std::filesystem::path fixtures() {
  return std::filesystem::path(__FILE__).parent_path().parent_path() / "fixtures";
}

const OsvDatabase& fixture_db() {
  static const OsvDatabase db = OsvDatabase::load(fixtures() / "osv");
  return db;
}

std::vector<std::string> listed(const std::vector<NpmPackage>& packages) {
  std::vector<std::string> out;
  for (const auto& p : packages) out.push_back(p.name + "@" + p.version + " <- " + p.source);
  return out;
}

std::string manifest(const std::string& name, const std::string& version) {
  return "{\"name\": \"" + name + "\", \"version\": \"" + version + "\"}";
}

TEST(NpmPackages, InstalledManifests) {
  Files files = {
      {"/app/node_modules/minimist/package.json", manifest("minimist", "1.2.5")},
      {"/app/node_modules/@scope/tool/package.json", manifest("@scope/tool", "2.0.0")},
      {"/app/node_modules/a/node_modules/lodash/package.json", manifest("lodash", "4.17.20")},
      {"/app/node_modules/.pnpm/semver@7.5.1/node_modules/semver/package.json",
       manifest("semver", "7.5.1")},
      // An alias (x@npm:ansi-regex@5.0.0): the folder is the alias, the manifest the package.
      {"/app/node_modules/x/package.json", manifest("ansi-regex", "5.0.0")},
      // No name: the folder names it.
      {"/app/node_modules/noname/package.json", "{\"version\": \"1.0.0\"}"},
      // Not packages: the project itself, a package's inner manifests, npm's caches.
      {"/app/package.json", manifest("vulnerable-mcp-server", "1.0.0")},
      {"/app/node_modules/lodash/fp/package.json", manifest("lodash-fp", "1.0.0")},
      {"/app/node_modules/.cache/package.json", manifest("cache", "1.0.0")},
      {"/app/node_modules/@scope/package.json", manifest("scope", "1.0.0")},
      {"/app/node_modules/minimist/package.json.bak", manifest("bak", "1.0.0")},
      // Not evidence: unparsable, or without a version.
      {"/app/node_modules/broken/package.json", "{\"name\": \"broken\", "},
      {"/app/node_modules/array/package.json", "[]"},
      {"/app/node_modules/unversioned/package.json", "{\"name\": \"unversioned\"}"},
      // The same package twice: the first source is kept.
      {"/usr/lib/node_modules/minimist/package.json", manifest("minimist", "1.2.5")},
  };
  EXPECT_EQ(listed(npm_packages(files)),
            (std::vector<std::string>{
                "minimist@1.2.5 <- /app/node_modules/minimist/package.json",
                "@scope/tool@2.0.0 <- /app/node_modules/@scope/tool/package.json",
                "lodash@4.17.20 <- /app/node_modules/a/node_modules/lodash/package.json",
                "semver@7.5.1 <- /app/node_modules/.pnpm/semver@7.5.1/node_modules/semver/"
                "package.json",
                "ansi-regex@5.0.0 <- /app/node_modules/x/package.json",
                "noname@1.0.0 <- /app/node_modules/noname/package.json",
            }));
}

TEST(NpmPackages, LockfileV3Packages) {
  const std::string lock = R"({
    "name": "app", "version": "1.0.0", "lockfileVersion": 3,
    "packages": {
      "": {"name": "app", "version": "1.0.0"},
      "node_modules/minimist": {"version": "1.2.5"},
      "node_modules/a/node_modules/lodash": {"version": "4.17.20"},
      "node_modules/@types/node": {"version": "20.1.0", "dev": true},
      "node_modules/alias": {"name": "semver", "version": "7.5.1"},
      "node_modules/local": {"resolved": "packages/local", "link": true},
      "packages/local": {"name": "local", "version": "0.1.0"}
    },
    "dependencies": {"ignored": {"version": "9.9.9"}}
  })";
  EXPECT_EQ(listed(npm_packages({{"/app/package-lock.json", lock}})),
            (std::vector<std::string>{
                "lodash@4.17.20 <- /app/package-lock.json: node_modules/a/node_modules/lodash",
                "semver@7.5.1 <- /app/package-lock.json: node_modules/alias",
                "minimist@1.2.5 <- /app/package-lock.json: node_modules/minimist",
            }));
}

TEST(NpmPackages, LockfileV1Tree) {
  const std::string lock = R"({
    "name": "app", "version": "1.0.0", "lockfileVersion": 1,
    "dependencies": {
      "minimist": {"version": "0.0.8"},
      "mkdirp": {"version": "0.5.1", "dependencies": {"minimist": {"version": "1.2.0"}}},
      "lodash-alias": {"version": "npm:lodash@4.17.15"},
      "from-git": {"version": "git+https://github.com/a/b.git#0123456789abcdef"},
      "mocha": {"version": "10.0.0", "dev": true,
                "dependencies": {"ansi-regex": {"version": "5.0.0", "dev": true}}}
    }
  })";
  EXPECT_EQ(listed(npm_packages({{"/srv/npm-shrinkwrap.json", lock}})),
            (std::vector<std::string>{
                "lodash@4.17.15 <- /srv/npm-shrinkwrap.json: node_modules/lodash-alias",
                "minimist@0.0.8 <- /srv/npm-shrinkwrap.json: node_modules/minimist",
                "mkdirp@0.5.1 <- /srv/npm-shrinkwrap.json: node_modules/mkdirp",
                "minimist@1.2.0 <- /srv/npm-shrinkwrap.json: node_modules/mkdirp/node_modules/"
                "minimist",
            }));
}

TEST(NpmPackages, WhichLockfilesCount) {
  const std::string lock =
      R"({"lockfileVersion": 3, "packages": {"node_modules/minimist": {"version": "1.2.5"}}})";
  Files files = {
      // npm ignores a package-lock.json published inside a package.
      {"/app/node_modules/x/package-lock.json", lock},
      // It honors a published shrinkwrap, and writes a hidden lockfile.
      {"/app/node_modules/y/npm-shrinkwrap.json",
       R"({"packages": {"node_modules/lodash": {"version": "4.17.20"}}})"},
      {"/app/node_modules/.package-lock.json",
       R"({"packages": {"node_modules/semver": {"version": "7.5.1"}}})"},
      {"/app/other/.package-lock.json", lock},
      {"/app/package-lock.json", "{not json"},
  };
  EXPECT_EQ(listed(npm_packages(files)),
            (std::vector<std::string>{
                "lodash@4.17.20 <- /app/node_modules/y/npm-shrinkwrap.json: node_modules/lodash",
                "semver@7.5.1 <- /app/node_modules/.package-lock.json: node_modules/semver",
            }));
}

TEST(DependencyScan, FindsRealAdvisoriesWorstFirst) {
  std::vector<NpmPackage> packages = {
      {"semver", "7.5.1", "/app/node_modules/semver/package.json"},
      {"lodash", "4.17.20", "/app/node_modules/lodash/package.json"},
      {"minimist", "1.2.5", "/app/node_modules/minimist/package.json"},
      {"minimist", "1.2.6", "/app/node_modules/x/node_modules/minimist/package.json"},
      {"express", "4.18.2", "/app/node_modules/express/package.json"},
  };
  Findings findings = scan_dependencies(packages, fixture_db());
  ASSERT_EQ(findings.size(), 4u);
  EXPECT_EQ(findings[0].rule, "dependency.vulnerable");
  EXPECT_EQ(findings[0].severity, Severity::fail);
  EXPECT_EQ(findings[0].message,
            "GHSA-xvch-5gv4-984h (CVE-2021-44906), critical: Prototype Pollution in minimist; "
            "fixed in 1.2.6");
  EXPECT_EQ(findings[0].evidence, "minimist@1.2.5 (/app/node_modules/minimist/package.json)");
  EXPECT_EQ(findings[1].severity, Severity::fail);
  EXPECT_EQ(findings[1].message,
            "GHSA-35jh-r3h4-6jhm (CVE-2021-23337), high: Command Injection in lodash; fixed in "
            "4.17.21");
  EXPECT_EQ(findings[1].evidence, "lodash@4.17.20 (/app/node_modules/lodash/package.json)");
  EXPECT_EQ(findings[2].severity, Severity::warn);  // moderate is below "high"
  EXPECT_EQ(findings[2].message,
            "GHSA-c2qf-rxjj-qqgw (CVE-2022-25883), moderate: semver vulnerable to Regular "
            "Expression Denial of Service; fixed in 7.5.2");
  EXPECT_EQ(findings[3].rule, "dependency.inventory");
  EXPECT_EQ(findings[3].severity, Severity::info);
  EXPECT_EQ(findings[3].message, "5 npm packages checked against 7 advisories");
  EXPECT_EQ(findings[3].evidence, (fixtures() / "osv").string());
  EXPECT_EQ(status_of(findings), Status::fail);
}

TEST(DependencyScan, FailAtMovesTheLine) {
  std::vector<NpmPackage> packages = {{"lodash", "4.17.20", "a"}, {"semver", "7.5.1", "b"}};
  auto severities = [&](const std::string& fail_at) {
    std::vector<Severity> out;
    for (const auto& f : scan_dependencies(packages, fixture_db(), {fail_at}))
      out.push_back(f.severity);
    return out;
  };
  using S = std::vector<Severity>;
  EXPECT_EQ(severities("critical"), (S{Severity::warn, Severity::warn, Severity::info}));
  EXPECT_EQ(severities("high"), (S{Severity::fail, Severity::warn, Severity::info}));
  EXPECT_EQ(severities("moderate"), (S{Severity::fail, Severity::fail, Severity::info}));
  EXPECT_EQ(severities("unknown"), (S{Severity::fail, Severity::fail, Severity::info}));
  EXPECT_THROW(severities("severe"), Error);
}

TEST(DependencyScan, NoFixAndNoAliasAndCleanImages) {
  Findings findings = scan_dependencies({{"flatmap-stream", "0.1.1",
                                          "/app/package-lock.json: node_modules/"
                                          "flatmap-stream"}},
                                        fixture_db());
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].message,
            "GHSA-mh6f-8j2x-4483, critical: Critical severity vulnerability that affects "
            "event-stream and flatmap-stream; no fixed version");
  EXPECT_EQ(findings[1].message, "1 npm package checked against 7 advisories");

  Findings clean = scan_dependencies({}, fixture_db());
  ASSERT_EQ(clean.size(), 1u);
  EXPECT_EQ(clean[0].message, "0 npm packages checked against 7 advisories");
  EXPECT_EQ(status_of(clean), Status::pass);
}

// The fixture server, as its image holds it: its lockfile and, once npm ci
// ran, the installed manifest.
TEST(DependencyScan, VulnerableFixtureServer) {
  auto server = fixtures() / "vulnerable-mcp-server";
  Files files = {
      {"/app/package.json", ccmcp::testing::read_file(server / "package.json")},
      {"/app/package-lock.json", ccmcp::testing::read_file(server / "package-lock.json")},
      {"/app/node_modules/minimist/package.json", manifest("minimist", "1.2.5")},
  };
  auto packages = npm_packages(files);
  EXPECT_EQ(listed(packages), (std::vector<std::string>{
                                  "minimist@1.2.5 <- /app/package-lock.json: node_modules/minimist",
                              }));
  Findings findings = scan_dependencies(packages, fixture_db());
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].evidence, "minimist@1.2.5 (/app/package-lock.json: node_modules/minimist)");
  EXPECT_EQ(findings[0].severity, Severity::fail);
  EXPECT_EQ(status_of(findings), Status::fail);
}

}  // namespace
}  // namespace ccmcp::tester
