#include <gtest/gtest.h>

#include "config/npx.h"
#include "images/catalog.h"
#include "images/naming.h"
#include "images/recipe.h"
#include "util/error.h"

namespace ccmcp::images {
namespace {

TEST(ImageNaming, RepositoryIsCcMcpSlashTheServerName) {
  EXPECT_EQ(repository_of("filesystem"), "cc-mcp/filesystem");
  EXPECT_EQ(repository_of("a.b_c-d"), "cc-mcp/a.b_c-d");
  for (const char* bad : {"a..b", "a-", "a._b", "-a"}) {
    try {
      repository_of(bad);
      ADD_FAILURE() << bad << " was taken";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::build);
      EXPECT_NE(error.message().find("cannot name a Docker image"), std::string::npos);
    }
  }
}

TEST(ImageNaming, TagsHoldOnlyWhatDockerAllows) {
  EXPECT_EQ(tag_for_version("2026.8.31"), "2026.8.31");
  EXPECT_EQ(tag_for_version("1.2.3-beta.1+build.4"), "1.2.3-beta.1_build.4");
  EXPECT_EQ(tag_for_version("v2"), "v2");
  EXPECT_EQ(tag_for_version("release/1.0"), "release_1.0");
  EXPECT_EQ(tag_for_version(".hidden"), "_.hidden");
  EXPECT_EQ(tag_for_version(""), "_");
  EXPECT_EQ(tag_for_version(std::string(200, 'a')).size(), 128u);
}

TEST(ImageNaming, DigestAndCommitVersions) {
  EXPECT_EQ(digest_version("sha256:0123456789abcdef0123"), "sha-0123456789ab");
  EXPECT_EQ(digest_version("fedcba9876543210"), "sha-fedcba987654");
  EXPECT_EQ(short_commit("1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d"), "1a2b3c4d5e6f");
  EXPECT_EQ(utc_now_rfc3339().size(), 20u);
  EXPECT_EQ(utc_now_rfc3339().back(), 'Z');
}

TEST(Npx, ThePackageAndTheServersArguments) {
  auto npx = config::parse_npx("npx", {"-y", "@modelcontextprotocol/server-memory"});
  ASSERT_TRUE(npx);
  EXPECT_EQ(npx->package, "@modelcontextprotocol/server-memory");
  EXPECT_EQ(npx->version, "");
  EXPECT_TRUE(npx->args.empty());

  npx = config::parse_npx("/usr/bin/npx", {"--yes", "@x/fs@1.2.3", "/data", "--ro"});
  ASSERT_TRUE(npx);
  EXPECT_EQ(npx->package, "@x/fs");
  EXPECT_EQ(npx->version, "1.2.3");
  EXPECT_EQ(npx->args, (std::vector<std::string>{"/data", "--ro"}));

  npx = config::parse_npx("npx", {"plain@^2", "--", "x"});
  ASSERT_TRUE(npx);
  EXPECT_EQ(npx->package, "plain");
  EXPECT_EQ(npx->version, "^2");

  npx = config::parse_npx("npx", {"-p", "@x/tools@latest", "x-serve", "a"});
  ASSERT_TRUE(npx);
  EXPECT_EQ(npx->package, "@x/tools");
  EXPECT_EQ(npx->version, "latest");
  EXPECT_EQ(npx->bin, "x-serve");
  EXPECT_EQ(npx->args, (std::vector<std::string>{"a"}));

  npx = config::parse_npx("npx", {"--package=@x/tools", "x-serve"});
  ASSERT_TRUE(npx);
  EXPECT_EQ(npx->bin, "x-serve");
}

TEST(Npx, NothingWhenNoPackageCanBeTold) {
  EXPECT_FALSE(config::parse_npx("node", {"server.js"}));
  EXPECT_FALSE(config::parse_npx("npx", {}));
  EXPECT_FALSE(config::parse_npx("npx", {"-y"}));
  EXPECT_FALSE(config::parse_npx("npx", {"--registry", "x", "pkg"}));  // an option we do not know
  EXPECT_FALSE(config::parse_npx("npx", {"Not_A_Package"}));
  EXPECT_FALSE(config::parse_npx("npx", {"-p", "pkg"}));  // no command after -p
  EXPECT_FALSE(config::parse_npx("uvx", {"mcp-server-time"}));
}

TEST(Npx, SplitsPackageSpecs) {
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(config::split_package_spec("@a/b@1"), (P{"@a/b", "1"}));
  EXPECT_EQ(config::split_package_spec("@a/b"), (P{"@a/b", ""}));
  EXPECT_EQ(config::split_package_spec("b@next"), (P{"b", "next"}));
  EXPECT_EQ(config::split_package_spec("b"), (P{"b", ""}));
}

ImageRecord record(const std::string& id, int64_t created, std::vector<std::string> tags,
                   bool current = false) {
  ImageRecord r;
  r.id = id;
  r.created = created;
  r.tags = std::move(tags);
  r.current = current;
  return r;
}

TEST(Retention, KeepsTheCurrentAndThreeBefore) {
  std::vector<ImageRecord> images = {
      record("a", 1, {"cc-mcp/x:1"}),
      record("b", 2, {"cc-mcp/x:2"}),
      record("c", 3, {"cc-mcp/x:3"}),
      record("d", 4, {"cc-mcp/x:4"}),
      record("e", 5, {"cc-mcp/x:5", "cc-mcp/x:latest"}, true),
  };
  EXPECT_EQ(choose_removals(images), std::vector<std::string>{"a"});
  images.push_back(record("f", 6, {"cc-mcp/x:6"}));
  // A newer image that is not current (a rollback made 5 current) is one of the three.
  EXPECT_EQ(choose_removals(images), (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(choose_removals(images, 0), (std::vector<std::string>{"f", "d", "c", "b", "a"}));
}

TEST(Retention, UntaggedImagesGoAndDoNotCount) {
  std::vector<ImageRecord> images = {
      record("old", 1, {"cc-mcp/x:1"}),
      record("rebuilt", 2, {}),  // its version tag moved to a newer build
      record("now", 3, {"cc-mcp/x:2", "cc-mcp/x:latest"}, true),
  };
  EXPECT_EQ(choose_removals(images), std::vector<std::string>{"rebuilt"});
  EXPECT_TRUE(choose_removals({}).empty());
}

TEST(Recipe, EveryInputCounts) {
  RecipeInputs base;
  base.spec = "npm @x/y@latest";
  base.version = "1.0.0";
  base.template_kind = "node";
  base.base_id = "sha256:b";
  base.bridge_digest = "sha256:br";
  std::string digest = recipe_digest(base);
  EXPECT_EQ(digest, recipe_digest(base));
  EXPECT_EQ(digest.rfind("sha256:", 0), 0u);
  auto differs = [&](auto change) {
    RecipeInputs other = base;
    change(other);
    return recipe_digest(other) != digest;
  };
  EXPECT_TRUE(differs([](RecipeInputs& r) { r.spec = "npm @x/y@1.0.0"; }));
  EXPECT_TRUE(differs([](RecipeInputs& r) { r.version = "1.0.1"; }));
  EXPECT_TRUE(differs([](RecipeInputs& r) { r.commit = "abc"; }));
  EXPECT_TRUE(differs([](RecipeInputs& r) { r.content_digest = "sha256:c"; }));
  EXPECT_TRUE(differs([](RecipeInputs& r) { r.template_kind = "node-builder"; }));
  EXPECT_TRUE(differs([](RecipeInputs& r) { r.base_id = "sha256:b2"; }));
  EXPECT_TRUE(differs([](RecipeInputs& r) { r.builder_id = "sha256:nb"; }));
  EXPECT_TRUE(differs([](RecipeInputs& r) { r.bridge_digest = "sha256:br2"; }));
  EXPECT_TRUE(differs([](RecipeInputs& r) { r.build_args = {{"A", "1"}}; }));
  EXPECT_TRUE(differs([](RecipeInputs& r) { r.network = true; }));
}

}  // namespace
}  // namespace ccmcp::images
