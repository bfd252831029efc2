// The parts of install that need no engine: the entry a package becomes,
// the volumes and variables of the command line, and the compatibility rules.
#include <gtest/gtest.h>

#include "marketplace/compatibility.h"
#include "marketplace/entry.h"
#include "util/error.h"

namespace ccmcp::marketplace {
namespace {

Package npm_package() {
  Package package;
  package.name = "fs";
  package.description = "Files";
  package.catalog = "team";
  package.source = {"npm", "@a/fs", ""};
  package.volumes = {{"./project", "/workspace"}, {"./cache", "/cache:ro"}};
  package.environment = {{"MODE", "safe"}};
  package.args = {"/workspace"};
  package.limits = nlohmann::json::parse(R"({"memory": "1g"})");
  return package;
}

TEST(InstallEntry, TheUsersVolumeReplacesThePackagesDefaultAtTheSamePath) {
  auto volumes = choose_volumes(npm_package(), {"notes:/workspace", "/abs/x:/extra:ro"},
                                "/home/u/proj", "/home/u/proj");
  ASSERT_EQ(volumes.size(), 3u);
  EXPECT_EQ(volumes[0].host, "./notes");
  EXPECT_EQ(volumes[0].container, "/workspace");
  EXPECT_FALSE(volumes[0].from_package);
  EXPECT_EQ(volumes[1].host, "./cache");
  EXPECT_TRUE(volumes[1].read_only);
  EXPECT_TRUE(volumes[1].from_package);
  EXPECT_EQ(volumes[2].host, "/abs/x");
  EXPECT_TRUE(volumes[2].read_only);
}

TEST(InstallEntry, AVolumeOutsideTheConfigFolderStaysAbsolute) {
  auto volumes =
      choose_volumes(npm_package(), {"../data:/workspace"}, "/home/u/proj/sub", "/home/u/other");
  EXPECT_EQ(volumes[0].host, "/home/u/proj/data");
}

TEST(InstallEntry, MalformedVolumesAndVariablesAreUsageErrors) {
  for (const char* bad : {"nocolon", "host:relative", ":/x", "a:"}) {
    try {
      choose_volumes(npm_package(), {bad}, "/w", "/w");
      ADD_FAILURE() << bad;
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::usage) << bad;
    }
  }
  EXPECT_THROW(choose_volumes(npm_package(), {"/a:/x", "/b:/x"}, "/w", "/w"), Error);
  EXPECT_THROW(parse_environment({"NOVALUE"}), Error);
  EXPECT_THROW(parse_environment({"=v"}), Error);
  auto pairs = parse_environment({"A=1", "B=x=y", "A=2"});
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(pairs[0], (std::pair<std::string, std::string>{"A", "2"}));
  EXPECT_EQ(pairs[1].second, "x=y");
}

TEST(InstallEntry, TheEntryIsDockerWithAManualSourceAndTheChoices) {
  EntryChoices choices;
  choices.version = "1.2.3";
  choices.volumes = choose_volumes(npm_package(), {}, "/w", "/w");
  choices.environment = {{"MODE", "open"}, {"TOKEN", "t"}};
  choices.enabled = false;
  auto entry = server_entry(npm_package(), choices);
  EXPECT_EQ(
      entry.dump(),
      R"({"disabled":true,"mode":"docker","description":"Files",)"
      R"("source":{"type":"npm","package":"@a/fs","version":"1.2.3","updatePolicy":"manual"},)"
      R"("volumes":{"./project":"/workspace","./cache":"/cache:ro"},)"
      R"("environment":{"MODE":"open","TOKEN":"t"},"args":["/workspace"],"limits":{"memory":"1g"}})");
  Package online = npm_package();
  online.network = nlohmann::json::parse(R"({"allow": ["api.example.com:443"]})");
  EXPECT_EQ(server_entry(online, choices)["network"].dump(),
            R"({"allow":["api.example.com:443"]})");
  Package git = npm_package();
  git.source = {"git", "https://example.com/r.git", "servers/x"};
  git.file = "/catalogs/team/x.json";
  git.dockerfile = "x.Dockerfile";
  auto git_entry = server_entry(git, default_choices(git, "v2"));
  EXPECT_EQ(git_entry["source"].dump(),
            R"({"type":"git","repository":"https://example.com/r.git","path":"servers/x",)"
            R"("tag":"v2","updatePolicy":"manual"})");
  EXPECT_EQ(git_entry["docker"]["dockerfile"], "/catalogs/team/x.Dockerfile");
  EXPECT_FALSE(git_entry.contains("disabled"));
}

HostFacts host() {
  return {"0.1.0", "linux/amd64"};
}

ErrorKind refusal(const Package& package, const std::string& version,
                  const config::StringPairs& environment = {}) {
  try {
    check_compatibility(package, version, environment, host());
  } catch (const Error& error) {
    return error.kind();
  }
  return ErrorKind::internal;  // not refused
}

TEST(InstallCompatibility, EachRuleRefusesWithItsKind) {
  Package package = npm_package();
  EXPECT_EQ(refusal(package, ""), ErrorKind::internal);
  package.versions = {"2.0.0", "1.0.0"};
  EXPECT_EQ(refusal(package, "1.0.0"), ErrorKind::internal);
  EXPECT_EQ(refusal(package, "3.0.0"), ErrorKind::not_found);
  package.min_version = "0.1.0";
  EXPECT_EQ(refusal(package, ""), ErrorKind::internal);
  package.min_version = "0.2.0";
  EXPECT_EQ(refusal(package, ""), ErrorKind::config);
  package.min_version = "soon";
  EXPECT_EQ(refusal(package, ""), ErrorKind::config);
  package.min_version.clear();
  package.variables = {{"TOKEN", "", true, true, ""}, {"REGION", "", true, false, "eu"}};
  EXPECT_EQ(refusal(package, ""), ErrorKind::usage);
  EXPECT_EQ(refusal(package, "", {{"TOKEN", "t"}}), ErrorKind::internal);
  package.platforms = {"linux/arm64"};
  EXPECT_EQ(refusal(package, "", {{"TOKEN", "t"}}), ErrorKind::config);
  package.platforms = {"linux/arm64", "linux/amd64"};
  EXPECT_EQ(refusal(package, "", {{"TOKEN", "t"}}), ErrorKind::internal);
  Package hosted = npm_package();
  hosted.source = {};
  hosted.remotes = {"https://mcp.example.com/mcp"};
  EXPECT_EQ(refusal(hosted, ""), ErrorKind::config);
  Package python = npm_package();
  python.source = {"pypi", "mcp-server-time", ""};
  EXPECT_EQ(refusal(python, ""), ErrorKind::config);
}

TEST(InstallCompatibility, VersionsCompareAsSemVer) {
  EXPECT_TRUE(version_at_least("0.10.0", "0.9.1"));
  EXPECT_TRUE(version_at_least("1.0.0", "1.0.0"));
  EXPECT_FALSE(version_at_least("1.0.0-beta.1", "1.0.0"));
  EXPECT_FALSE(version_at_least("0.1.0", "nonsense"));
}

}  // namespace
}  // namespace ccmcp::marketplace
