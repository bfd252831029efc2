// The no-op decision of `cc-mcp build`, against a fake engine: an image
// whose recipe matches is reused without a build, a changed input builds.
#include <elf.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#include "fake_http.h"
#include "images/context.h"
#include "images/ensure.h"
#include "images/naming.h"
#include "images/recipe.h"
#include "test_util.h"
#include "util/error.h"
#include "util/sha256.h"

namespace ccmcp::images {
namespace {

using ccmcp::testing::FakeHttp;
using ccmcp::testing::TempDir;
using ccmcp::testing::write_file;

class NoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A static "bridge": an ELF header with no program headers.
    Elf64_Ehdr header{};
    std::memcpy(header.e_ident, ELFMAG, SELFMAG);
    header.e_ident[EI_CLASS] = ELFCLASS64;
    bridge_text.assign(reinterpret_cast<const char*>(&header), sizeof header);
    write_file(dir / "cc-mcp-bridge", bridge_text);
    ::chmod((dir / "cc-mcp-bridge").c_str(), 0755);
    ::setenv("CC_MCP_BRIDGE", (dir / "cc-mcp-bridge").c_str(), 1);
    ::unsetenv("CC_MCP_PYTHON_BASE");
    ::unsetenv("CC_MCP_NODE_BASE");

    std::filesystem::create_directories(dir / "srv");
    write_file(dir / "srv" / "package.json", R"({"name": "srv", "main": "index.js"})");
    http->route("GET /version", 200, ccmcp::testing::kEngineVersion2010);
    http->route("GET /v1.41/images/node%3A20-alpine/json", 404, R"({"message":"no such image"})");
    http->route("GET /v1.41/images/cc-mcp%2Fnode%3A18/json", 200,
                R"({"Id":"sha256:node","RepoTags":["cc-mcp/node:18"],"Config":{"Labels":)"
                R"({"dev.cc-mcp.base":"node"}}})");
    server.name = "srv";
    server.mode = config::Mode::docker;
    server.source = config::Source{};
    server.source->type = config::SourceType::local;
    server.source->local_path = dir / "srv";
  }
  void TearDown() override { ::unsetenv("CC_MCP_BRIDGE"); }

  // The recipe a build of the folder as it is now would record.
  std::string recipe_now() {
    RecipeInputs inputs;
    inputs.spec = "local " + (dir / "srv").string();
    inputs.content_digest = tree_digest(dir / "srv", skip_source_clutter);
    inputs.version = digest_version(inputs.content_digest);
    inputs.template_kind = "node";
    inputs.base_id = "sha256:node";
    inputs.bridge_digest = "sha256:" + sha256_hex(bridge_text);
    return recipe_digest(inputs);
  }

  // cc-mcp/srv:latest as the engine would describe it.
  void current_image(const std::string& recipe) {
    std::string version = digest_version(tree_digest(dir / "srv", skip_source_clutter));
    docker::Json image = {{"Id", "sha256:current"},
                          {"RepoTags", {"cc-mcp/srv:" + version, "cc-mcp/srv:latest"}},
                          {"Config",
                           {{"Labels",
                             {{"dev.cc-mcp.name", "srv"},
                              {"dev.cc-mcp.version", version},
                              {"dev.cc-mcp.source", "local " + (dir / "srv").string()},
                              {"dev.cc-mcp.template", "node"},
                              {"dev.cc-mcp.recipe", recipe}}}}}};
    http->route("GET /v1.41/images/cc-mcp%2Fsrv%3Alatest/json", 200, image.dump());
  }

  ImageInfo ensure(BuildWhen when) {
    docker::Engine engine(docker::parse_endpoint(docker::kDefaultDockerHost), http);
    config::Config config;
    SilentReporter reporter;
    return ensure_image(engine, config, server, config::Home{dir / "home"}, when, reporter);
  }

  bool built_anything() const {
    for (const auto& call : http->calls())
      if (call.rfind("POST ", 0) == 0) return true;
    return false;
  }

  TempDir dir;
  std::string bridge_text;
  std::shared_ptr<FakeHttp> http = std::make_shared<FakeHttp>();
  config::Server server;
};

TEST_F(NoopTest, UnchangedInputsReuseTheCurrentImage) {
  current_image(recipe_now());
  ImageInfo info = ensure(BuildWhen::changed);
  EXPECT_FALSE(info.built);
  EXPECT_EQ(info.id, "sha256:current");
  EXPECT_EQ(info.reference,
            "cc-mcp/srv:" + digest_version(tree_digest(dir / "srv", skip_source_clutter)));
  EXPECT_FALSE(built_anything());
  EXPECT_FALSE(std::filesystem::exists(dir / "home" / "build" / "srv"));
}

TEST_F(NoopTest, MissingReusesWhateverIsThere) {
  current_image("sha256:some-old-recipe");
  EXPECT_FALSE(ensure(BuildWhen::missing).built);
  EXPECT_FALSE(built_anything());
}

TEST_F(NoopTest, AChangedInputBuilds) {
  current_image(recipe_now());
  write_file(dir / "srv" / "index.js", "// changed\n");
  // The fake engine has no /build: the attempt shows the decision.
  EXPECT_THROW(ensure(BuildWhen::changed), Error);
  EXPECT_TRUE(built_anything());
  EXPECT_FALSE(std::filesystem::exists(dir / "home" / "build" / "srv"));  // staging removed
}

TEST_F(NoopTest, AChangedBaseImageBuilds) {
  current_image(recipe_now());
  http->route("GET /v1.41/images/cc-mcp%2Fnode%3A18/json", 200,
              R"({"Id":"sha256:node2","RepoTags":["cc-mcp/node:18"],"Config":{}})");
  EXPECT_THROW(ensure(BuildWhen::changed), Error);
  EXPECT_TRUE(built_anything());
}

TEST_F(NoopTest, AlwaysBuilds) {
  current_image(recipe_now());
  EXPECT_THROW(ensure(BuildWhen::always), Error);
  bool no_cache = false;
  for (const auto& call : http->calls())
    no_cache = no_cache || (call.rfind("POST /v1.41/build?", 0) == 0 &&
                            call.find("&nocache=1") != std::string::npos);
  EXPECT_TRUE(no_cache);
}

TEST_F(NoopTest, ImageOfAnotherServerIsNotCurrent) {
  current_image(recipe_now());
  http->route("GET /v1.41/images/cc-mcp%2Fsrv%3Alatest/json", 200,
              R"({"Id":"sha256:x","Config":{"Labels":{"dev.cc-mcp.name":"other"}}})");
  EXPECT_THROW(ensure(BuildWhen::missing), Error);
  EXPECT_TRUE(built_anything());
}

}  // namespace
}  // namespace ccmcp::images
