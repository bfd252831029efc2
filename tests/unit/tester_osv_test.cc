#include "testing/osv.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_util.h"
#include "util/error.h"

namespace ccmcp::tester {
namespace {

using ccmcp::testing::TempDir;
using ccmcp::testing::write_file;

// The fixture database of real advisories, found from this file's place in
// the source tree.
std::filesystem::path fixture_db() {
  return std::filesystem::path(__FILE__).parent_path().parent_path() / "fixtures" / "osv";
}

const OsvDatabase& fixture() {
  static const OsvDatabase db = OsvDatabase::load(fixture_db());
  return db;
}

std::vector<std::string> ids(const std::vector<Advisory>& advisories) {
  std::vector<std::string> out;
  for (const auto& advisory : advisories) out.push_back(advisory.id + " fixed " + advisory.fixed);
  return out;
}

std::vector<std::string> npm(const std::string& name, const std::string& version) {
  return ids(fixture().affecting("npm", name, version));
}

using Ids = std::vector<std::string>;

TEST(OsvFixture, LoadsEveryAdvisory) {
  EXPECT_EQ(fixture().size(), 7u);
  EXPECT_TRUE(fixture().errors().empty()) << fixture().errors().front();
}

TEST(OsvFixture, MinimistPrototypePollution) {
  auto found = fixture().affecting("npm", "minimist", "1.2.5");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, "GHSA-xvch-5gv4-984h");
  EXPECT_EQ(found[0].aliases, std::vector<std::string>{"CVE-2021-44906"});
  EXPECT_EQ(found[0].summary, "Prototype Pollution in minimist");
  EXPECT_EQ(found[0].severity, "critical");
  EXPECT_EQ(found[0].fixed, "1.2.6");
  EXPECT_EQ(std::filesystem::path(found[0].file).filename(), "GHSA-xvch-5gv4-984h.json");

  EXPECT_EQ(npm("minimist", "1.2.6"), Ids{});
  EXPECT_EQ(npm("minimist", "1.2.8"), Ids{});
  // Below 1.2.3 the older advisory matches too; each says its own fix.
  EXPECT_EQ(npm("minimist", "1.2.0"),
            (Ids{"GHSA-vh95-rmgr-6w4m fixed 1.2.3", "GHSA-xvch-5gv4-984h fixed 1.2.6"}));
  // The 0.x line has its own fixes.
  EXPECT_EQ(npm("minimist", "0.0.8"),
            (Ids{"GHSA-vh95-rmgr-6w4m fixed 0.2.1", "GHSA-xvch-5gv4-984h fixed 0.2.4"}));
  EXPECT_EQ(npm("minimist", "0.2.1"), Ids{"GHSA-xvch-5gv4-984h fixed 0.2.4"});
  EXPECT_EQ(npm("minimist", "0.2.4"), Ids{});
  EXPECT_EQ(fixture().affecting("npm", "minimist", "1.2.0")[0].severity, "moderate");
}

TEST(OsvFixture, Lodash) {
  auto found = fixture().affecting("npm", "lodash", "4.17.20");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, "GHSA-35jh-r3h4-6jhm");
  EXPECT_EQ(found[0].severity, "high");
  EXPECT_EQ(found[0].fixed, "4.17.21");
  EXPECT_EQ(npm("lodash", "4.17.19"),
            (Ids{"GHSA-35jh-r3h4-6jhm fixed 4.17.21", "GHSA-p6mc-m468-83gw fixed 4.17.20"}));
  EXPECT_EQ(npm("lodash", "4.17.21"), Ids{});
  EXPECT_EQ(npm("lodash-es", "4.17.15"),
            (Ids{"GHSA-35jh-r3h4-6jhm fixed 4.17.21", "GHSA-p6mc-m468-83gw fixed 4.17.20"}));
  // A package is its ecosystem and its name.
  EXPECT_TRUE(fixture().affecting("PyPI", "lodash", "4.17.20").empty());
  EXPECT_TRUE(fixture().affecting("npm", "Lodash", "4.17.20").empty());
  EXPECT_TRUE(fixture().affecting("npm", "lodash.template", "4.5.0").empty());
}

TEST(OsvFixture, BranchesOfAnsiRegexAndSemver) {
  EXPECT_EQ(npm("ansi-regex", "5.0.0"), Ids{"GHSA-93q8-gq69-wqmw fixed 5.0.1"});
  EXPECT_EQ(npm("ansi-regex", "4.1.0"), Ids{"GHSA-93q8-gq69-wqmw fixed 4.1.1"});
  EXPECT_EQ(npm("ansi-regex", "5.0.1"), Ids{});
  EXPECT_EQ(npm("ansi-regex", "2.1.1"), Ids{});  // before the first introduced
  EXPECT_EQ(fixture().affecting("npm", "ansi-regex", "3.0.0")[0].severity, "high");

  EXPECT_EQ(npm("semver", "7.5.1"), Ids{"GHSA-c2qf-rxjj-qqgw fixed 7.5.2"});
  EXPECT_EQ(npm("semver", "6.3.0"), Ids{"GHSA-c2qf-rxjj-qqgw fixed 6.3.1"});
  EXPECT_EQ(npm("semver", "5.7.1"), Ids{"GHSA-c2qf-rxjj-qqgw fixed 5.7.2"});
  EXPECT_EQ(npm("semver", "5.7.2"), Ids{});
  EXPECT_EQ(npm("semver", "6.3.1"), Ids{});
  EXPECT_EQ(npm("semver", "7.5.2"), Ids{});
  EXPECT_EQ(npm("semver", "7.6.0"), Ids{});
  EXPECT_EQ(fixture().affecting("npm", "semver", "7.5.1")[0].severity, "moderate");
}

TEST(OsvFixture, MaliciousEventStream) {
  EXPECT_EQ(npm("event-stream", "3.3.6"), Ids{"GHSA-mh6f-8j2x-4483 fixed 4.0.0"});
  EXPECT_EQ(npm("event-stream", "3.3.4"), Ids{});
  EXPECT_EQ(npm("event-stream", "4.0.1"), Ids{});
  // Every version, and nothing fixes it.
  EXPECT_EQ(npm("flatmap-stream", "0.1.1"), Ids{"GHSA-mh6f-8j2x-4483 fixed "});
  auto found = fixture().affecting("npm", "flatmap-stream", "0.1.1");
  EXPECT_EQ(found[0].severity, "critical");
  EXPECT_TRUE(found[0].aliases.empty());
}

TEST(OsvFixture, ComputedCvssAgreesWithGithubsRating) {
  for (const auto& entry : std::filesystem::directory_iterator(fixture_db() / "npm")) {
    auto record = nlohmann::json::parse(ccmcp::testing::read_file(entry.path()));
    auto score = cvss3_base_score(record["severity"][0]["score"].get<std::string>());
    ASSERT_TRUE(score) << entry.path();
    std::string rating = record["database_specific"]["severity"];
    for (auto& c : rating) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(severity_of_score(*score), rating) << entry.path() << " " << *score;
  }
}

TEST(Cvss, BaseScores) {
  struct Row {
    const char* vector;
    double score;
  };
  const Row rows[] = {
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0},
      {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9},
      {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:L", 5.6},
      {"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 7.2},
      {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H", 7.4},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", 5.3},
      {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:N/A:N", 6.8},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1},
      {"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8},
      {"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 5.5},
      {"CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6},
      {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8},
      // Metrics in another order, and temporal ones, leave the base score alone.
      {"CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N/E:P/RL:O/RC:C", 9.8},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0},
  };
  for (const auto& row : rows) {
    auto score = cvss3_base_score(row.vector);
    ASSERT_TRUE(score) << row.vector;
    EXPECT_DOUBLE_EQ(*score, row.score) << row.vector;
  }
  for (const char* bad :
       {"", "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
        "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
        "AV:N/AC:L/Au:N/C:P/I:P/A:P"})
    EXPECT_FALSE(cvss3_base_score(bad)) << bad;

  EXPECT_EQ(severity_of_score(9.0), "critical");
  EXPECT_EQ(severity_of_score(8.9), "high");
  EXPECT_EQ(severity_of_score(7.0), "high");
  EXPECT_EQ(severity_of_score(6.9), "moderate");
  EXPECT_EQ(severity_of_score(4.0), "moderate");
  EXPECT_EQ(severity_of_score(3.9), "low");
  EXPECT_EQ(severity_of_score(0.1), "low");
  EXPECT_EQ(severity_of_score(0.0), "unknown");
}

// A database written by the test, one advisory per call.
class OsvSynthetic : public ::testing::Test {
 protected:
  void advisory(const std::string& file, const nlohmann::json& record) {
    std::filesystem::create_directories((dir_ / file).parent_path());
    write_file(dir_ / file, record.dump());
  }
  // One npm package "pkg" affected by these ranges (and versions).
  void ranges(const std::string& id, const nlohmann::json& ranges_json,
              const nlohmann::json& versions = nlohmann::json::array()) {
    advisory(id + ".json", {{"id", id},
                            {"affected",
                             {{{"package", {{"ecosystem", "npm"}, {"name", "pkg"}}},
                               {"ranges", ranges_json},
                               {"versions", versions}}}}});
  }
  Ids match(const std::string& version) {
    return ids(OsvDatabase::load(dir_.path()).affecting("npm", "pkg", version));
  }
  TempDir dir_;
};

TEST_F(OsvSynthetic, RangeSemanticsOfTheSchema) {
  ranges("LAST", {{{"type", "SEMVER"},
                   {"events", {{{"introduced", "1.0.0"}}, {{"last_affected", "1.4.2"}}}}}});
  // Two intervals in one range, written out of order: evaluated sorted.
  ranges("TWO", {{{"type", "SEMVER"},
                  {"events",
                   {{{"fixed", "3.2.5"}},
                    {{"introduced", "3.0.0"}},
                    {{"introduced", "1.0.0"}},
                    {{"fixed", "1.0.2"}}}}}});
  EXPECT_EQ(match("0.9.0"), Ids{});
  EXPECT_EQ(match("1.0.0"), (Ids{"LAST fixed ", "TWO fixed 1.0.2"}));
  EXPECT_EQ(match("1.0.2"), Ids{"LAST fixed "});
  EXPECT_EQ(match("1.4.2"), Ids{"LAST fixed "});  // last_affected is inclusive
  EXPECT_EQ(match("1.4.3"), Ids{});
  EXPECT_EQ(match("3.1.0"), Ids{"TWO fixed 3.2.5"});
  EXPECT_EQ(match("3.2.5"), Ids{});                        // fixed is exclusive
  EXPECT_EQ(match("3.2.5-rc.1"), Ids{"TWO fixed 3.2.5"});  // a prerelease of the fix is not it
  EXPECT_EQ(match("not-a-version"), Ids{});
}

TEST_F(OsvSynthetic, IntroducedZeroLimitsAndVersionsLists) {
  ranges("OPEN", {{{"type", "ECOSYSTEM"}, {"events", {{{"introduced", "0"}}}}}});
  ranges("LIMIT",
         {{{"type", "SEMVER"}, {"events", {{{"introduced", "0"}}, {{"limit", "2.0.0"}}}}}});
  ranges("STAR", {{{"type", "SEMVER"}, {"events", {{{"introduced", "5.0.0"}}, {{"limit", "*"}}}}}});
  // GIT ranges need the repository; only the versions list can match.
  ranges("GIT",
         {{{"type", "GIT"},
           {"repo", "https://github.com/a/b"},
           {"events",
            {{{"introduced", "0"}}, {{"fixed", "0123456789abcdef0123456789abcdef01234567"}}}}}},
         {"1.5.0", "weird-tag"});
  EXPECT_EQ(match("0.0.1"), (Ids{"LIMIT fixed ", "OPEN fixed "}));
  EXPECT_EQ(match("1.5.0"), (Ids{"GIT fixed ", "LIMIT fixed ", "OPEN fixed "}));
  EXPECT_EQ(match("2.0.0"), Ids{"OPEN fixed "});
  EXPECT_EQ(match("7.0.0"), (Ids{"OPEN fixed ", "STAR fixed "}));
  EXPECT_EQ(match("weird-tag"), Ids{"GIT fixed "});  // listed versions match as written
}

TEST_F(OsvSynthetic, OtherEcosystemsMatchOnlyListedVersions) {
  advisory("PYSEC.json",
           {{"id", "PYSEC-1"},
            {"affected",
             {{{"package", {{"ecosystem", "PyPI"}, {"name", "pkg"}}},
               {"ranges",
                {{{"type", "ECOSYSTEM"}, {"events", {{{"introduced", "0"}}, {{"fixed", "2.0"}}}}}}},
               {"versions", {"1.0", "1.1"}}}}}});
  OsvDatabase db = OsvDatabase::load(dir_.path());
  EXPECT_TRUE(db.errors().empty());
  EXPECT_EQ(ids(db.affecting("PyPI", "pkg", "1.1")), Ids{"PYSEC-1 fixed "});
  EXPECT_TRUE(db.affecting("PyPI", "pkg", "1.5").empty());  // PEP 440 is not ours to order
  EXPECT_TRUE(db.affecting("npm", "pkg", "1.1").empty());
}

TEST_F(OsvSynthetic, SeverityFromGithubElseCvssElseUnknown) {
  auto record = [](const std::string& id, nlohmann::json extra) {
    nlohmann::json out = {
        {"id", id},
        {"affected",
         {{{"package", {{"ecosystem", "npm"}, {"name", "pkg"}}}, {"versions", {"1.0.0"}}}}}};
    out.update(extra);
    return out;
  };
  nlohmann::json cvss = {
      {{"type", "CVSS_V3"}, {"score", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}}};
  advisory("a.json",
           record("A-GITHUB", {{"database_specific", {{"severity", "LOW"}}}, {"severity", cvss}}));
  advisory("b.json", record("B-CVSS", {{"severity", cvss}}));
  advisory("c.json", record("C-MEDIUM", {{"database_specific", {{"severity", "MEDIUM"}}}}));
  advisory("d.json", record("D-V4", {{"severity",
                                      {{{"type", "CVSS_V4"},
                                        {"score",
                                         "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/"
                                         "VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}}}}}));
  advisory("e.json", record("E-NONE", nlohmann::json::object()));
  OsvDatabase db = OsvDatabase::load(dir_.path());
  std::vector<std::string> got;
  for (const auto& a : db.affecting("npm", "pkg", "1.0.0")) got.push_back(a.id + " " + a.severity);
  EXPECT_EQ(got, (Ids{"A-GITHUB low", "B-CVSS high", "C-MEDIUM moderate", "D-V4 unknown",
                      "E-NONE unknown"}));
}

TEST_F(OsvSynthetic, BadFilesAreNotedAndTheRestLoads) {
  ranges("GOOD", {{{"type", "SEMVER"}, {"events", {{{"introduced", "0"}}, {{"fixed", "2.0.0"}}}}}});
  advisory("deep/er/NESTED.json",
           {{"id", "NESTED"},
            {"affected",
             {{{"package", {{"ecosystem", "npm"}, {"name", "pkg"}}}, {"versions", {"1.0.0"}}}}}});
  advisory("WITHDRAWN.json",
           {{"id", "WITHDRAWN"},
            {"withdrawn", "2023-01-01T00:00:00Z"},
            {"affected",
             {{{"package", {{"ecosystem", "npm"}, {"name", "pkg"}}}, {"versions", {"1.0.0"}}}}}});
  advisory("BADRANGE.json",
           {{"id", "BADRANGE"},
            {"affected",
             {{{"package", {{"ecosystem", "npm"}, {"name", "pkg"}}},
               {"ranges",
                {{{"type", "SEMVER"}, {"events", {{{"introduced", "0"}}, {{"fixed", "1.x"}}}}}}},
               {"versions", {"0.5.0"}}},
              {{"package", {{"ecosystem", "npm"}}}}}}});
  write_file(dir_ / "broken.json", "{\"id\": \"BROKEN\", ");
  write_file(dir_ / "list.json", "[1, 2]");
  write_file(dir_ / "noid.json", "{\"summary\": \"no id\"}");
  write_file(dir_ / "README.md", "not an advisory, and not read");

  OsvDatabase db = OsvDatabase::load(dir_.path());
  EXPECT_EQ(db.size(), 3u);  // GOOD, NESTED, BADRANGE (its versions list still counts)
  const std::string root = dir_.path().string() + "/";
  EXPECT_EQ(db.errors(),
            (std::vector<std::string>{
                root + "BADRANGE.json: npm package \"pkg\": version \"1.x\" is not a semantic "
                       "version; range skipped",
                root + "BADRANGE.json: an affected entry names no package ecosystem and name",
                root + "broken.json: is not valid JSON", root + "list.json: is not a JSON object",
                root + "noid.json: has no \"id\""}));
  EXPECT_EQ(ids(db.affecting("npm", "pkg", "1.0.0")), (Ids{"GOOD fixed 2.0.0", "NESTED fixed "}));
  EXPECT_EQ(ids(db.affecting("npm", "pkg", "0.5.0")), (Ids{"BADRANGE fixed ", "GOOD fixed 2.0.0"}));
}

// Enough files for the loader to parse on several threads: the result is
// the same as one thread's, errors in file order.
TEST_F(OsvSynthetic, ManyFilesLoadInOrder) {
  for (int i = 0; i < 600; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "A-%03d", i);
    if (i % 100 == 7) {
      write_file(dir_ / (std::string(id) + ".json"), "{");
      continue;
    }
    advisory(
        std::string(id) + ".json",
        {{"id", id},
         {"affected",
          {{{"package", {{"ecosystem", "npm"}, {"name", "pkg-" + std::to_string(i % 10)}}},
            {"ranges",
             {{{"type", "SEMVER"},
               {"events", {{{"introduced", "0"}}, {{"fixed", "1.0." + std::to_string(i)}}}}}}}}}}});
  }
  OsvDatabase db = OsvDatabase::load(dir_.path());
  EXPECT_EQ(db.size(), 594u);
  ASSERT_EQ(db.errors().size(), 6u);
  for (size_t k = 0; k < 6; ++k) {
    char expected[64];
    std::snprintf(expected, sizeof expected, "/A-%03zu.json: is not valid JSON", k * 100 + 7);
    EXPECT_NE(db.errors()[k].find(expected), std::string::npos) << db.errors()[k];
  }
  // pkg-3: advisories 3, 13, ..., 593; version 1.0.500 is below the fix of 503 and up.
  auto found = db.affecting("npm", "pkg-3", "1.0.500");
  ASSERT_EQ(found.size(), 10u);
  EXPECT_EQ(found.front().id, "A-503");
  EXPECT_EQ(found.front().fixed, "1.0.503");
  EXPECT_EQ(found.back().id, "A-593");
}

TEST(OsvLoad, RefusesWhatIsNotAFolder) {
  TempDir dir;
  write_file(dir / "file.json", "{}");
  const std::pair<std::filesystem::path, std::string> cases[] = {
      {dir / "missing", "does not exist"}, {dir / "file.json", "is not a folder"}};
  for (const auto& [path, problem] : cases) {
    try {
      OsvDatabase::load(path);
      ADD_FAILURE() << path;
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::io);
      EXPECT_EQ(error.subject(), path.string());
      EXPECT_EQ(error.problem(), problem);
    }
  }
  OsvDatabase empty = OsvDatabase::load(dir.path());
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_EQ(empty.errors().size(), 1u);  // file.json has no id
}

}  // namespace
}  // namespace ccmcp::tester
