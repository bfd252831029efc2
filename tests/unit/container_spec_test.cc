#include "runtime/container_spec.h"

#include <gtest/gtest.h>

#include "config/load.h"
#include "images/ensure.h"
#include "test_util.h"

namespace ccmcp::runtime {
namespace {

using ccmcp::testing::TempDir;
using Json = nlohmann::json;

// The servers of an mcp.json text whose file sits in `dir`.
config::Config load(const TempDir& dir, const std::string& text) {
  config::ConfigLocation location{dir / "mcp.json", "mcp.json"};
  auto loaded = config::check_config_text(location, ccmcp::testing::with_dir(text, dir.path()));
  for (const auto& diagnostic : loaded.validation.diagnostics)
    EXPECT_EQ(diagnostic.severity, config::Severity::warning) << diagnostic.format();
  return loaded.validation.config;
}

const ImageRef kImage{"cc-mcp/fs:latest", "sha256:aaaa", "1.2.3"};

TEST(ContainerSpec, HardensEveryContainer) {
  TempDir dir;
  std::filesystem::create_directories(dir / "project");
  auto config = load(dir, R"({"mcpServers": {"fs": {
      "mode": "docker", "volumes": {"./project": "/workspace:ro"},
      "environment": {"MCP_MODE": "restricted"},
      "limits": {"memory": "256m", "cpus": "0.5", "pids": 64}, "args": ["/workspace"],
      "source": {"type": "npm", "package": "@modelcontextprotocol/server-filesystem"}}}})");
  ContainerSpec spec = make_container_spec(config.servers[0], kImage,
                                           images::container_args(config.servers[0]), 24117);
  const Json& body = spec.body;
  const Json& host = body["HostConfig"];
  EXPECT_EQ(spec.name, "mcp-fs");
  EXPECT_EQ(body["Image"], "cc-mcp/fs:latest");
  EXPECT_EQ(body["User"], "1001:1001");
  EXPECT_EQ(body["Cmd"], Json::array({"/workspace"}));
  EXPECT_EQ(body["Env"], Json::array({"MCP_MODE=restricted"}));
  EXPECT_EQ(host["CapDrop"], Json::array({"ALL"}));
  EXPECT_EQ(host["SecurityOpt"], Json::array({"no-new-privileges"}));
  EXPECT_EQ(host["ReadonlyRootfs"], true);
  EXPECT_EQ(host["Tmpfs"]["/tmp"], "rw,noexec,nosuid,size=64m");
  EXPECT_EQ(host["PidsLimit"], 64);
  EXPECT_EQ(host["Memory"], 256ull << 20);
  EXPECT_EQ(host["NanoCpus"], 500000000);
  EXPECT_EQ(host["RestartPolicy"]["Name"], "unless-stopped");
  EXPECT_EQ(host["Binds"], Json::array({(dir / "project").string() + ":/workspace:ro"}));
  // Alone on its own network, published by its gateway (no "network": none).
  EXPECT_EQ(host["NetworkMode"], "cc-mcp-fs");
  EXPECT_FALSE(host.contains("PortBindings"));
  EXPECT_EQ(body["ExposedPorts"], (Json{{"3000/tcp", Json::object()}}));
  EXPECT_EQ(body["Labels"]["dev.cc-mcp.managed"], "true");
  EXPECT_EQ(body["Labels"]["dev.cc-mcp.name"], "fs");
  EXPECT_EQ(body["Labels"]["dev.cc-mcp.version"], "1.2.3");
  EXPECT_EQ(body["Labels"]["dev.cc-mcp.config-hash"], spec.config_hash);
  EXPECT_EQ(spec.config_hash.size(), 64u);
}

TEST(ContainerSpec, FullNetworkPublishesItselfAndAnAllowListGetsTheProxy) {
  TempDir dir;
  auto config = load(dir, R"({"mcpServers": {
      "open": {"image": "x/y:1", "network": "full"},
      "picky": {"image": "x/y:1", "environment": {"K": "v"},
                "network": {"allow": ["api.github.com:443"]}}}})");
  ContainerSpec open = make_container_spec(config.servers[0], kImage, {}, 24118);
  EXPECT_EQ(open.body["HostConfig"]["NetworkMode"], "cc-mcp-open");
  EXPECT_EQ(open.body["HostConfig"]["PortBindings"],
            (Json{{"3000/tcp", Json::array({{{"HostIp", "127.0.0.1"}, {"HostPort", "24118"}}})}}));
  EXPECT_EQ(open.body["Env"], Json::array());

  ContainerSpec picky = make_container_spec(config.servers[1], kImage, {}, 24119);
  EXPECT_FALSE(picky.body["HostConfig"].contains("PortBindings"));
  EXPECT_EQ(
      picky.body["Env"],
      Json::array({"K=v", "HTTPS_PROXY=http://cc-mcp-egress:3128",
                   "HTTP_PROXY=http://cc-mcp-egress:3128", "https_proxy=http://cc-mcp-egress:3128",
                   "http_proxy=http://cc-mcp-egress:3128", "NO_PROXY=localhost,127.0.0.1",
                   "no_proxy=localhost,127.0.0.1"}));
}

TEST(ContainerSpec, DefaultsWhenNoLimitsAreGiven) {
  TempDir dir;
  auto config = load(dir, R"({"mcpServers": {"plain": {"image": "example/mcp:1"}}})");
  ContainerSpec spec =
      make_container_spec(config.servers[0], {"example/mcp:1", "sha256:b", ""}, {}, 20001);
  const Json& host = spec.body["HostConfig"];
  EXPECT_EQ(host["Memory"], 512ull << 20);
  EXPECT_EQ(host["NanoCpus"], 1000000000);
  EXPECT_EQ(host["PidsLimit"], 256);
  EXPECT_FALSE(spec.body.contains("Cmd"));  // the image's own
  EXPECT_EQ(spec.body["Env"], Json::array());
  EXPECT_EQ(host["Binds"], Json::array());
  EXPECT_EQ(spec.name, "mcp-plain");
}

TEST(ContainerSpec, PhaseTwoNpxEntryPassesTheWordsAfterThePackage) {
  TempDir dir;
  auto config = load(dir, R"({"mcpServers": {"memory": {"mode": "docker", "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-memory", "--verbose"],
      "docker": {"image": "cc-mcp/memory:latest"}}}})");
  const auto& server = config.servers[0];
  ContainerSpec spec = make_container_spec(server, {"cc-mcp/memory:latest", "sha256:c", ""},
                                           images::container_args(server), 20002);
  EXPECT_EQ(spec.body["Image"], "cc-mcp/memory:latest");
  EXPECT_EQ(spec.body["Cmd"], Json::array({"--verbose"}));
}

TEST(ContainerSpec, ReadWriteVolumeHasNoSuffix) {
  TempDir dir;
  std::filesystem::create_directories(dir / "data");
  auto config = load(dir, R"({"mcpServers": {"git": {"image": "example/git:1",
      "volumes": {"{dir}/data": "/data"}}}})");
  ContainerSpec spec = make_container_spec(config.servers[0], kImage, {}, 20003);
  EXPECT_EQ(spec.body["HostConfig"]["Binds"], Json::array({(dir / "data").string() + ":/data"}));
}

TEST(ConfigHash, StableForTheSameConfigAndImage) {
  TempDir dir;
  const char* text = R"({"mcpServers": {"a": {"image": "x/y:1", "environment": {"K": "v"},
      "args": ["--flag"], "limits": {"memory": "128m"}}}})";
  auto first = load(dir, text);
  auto second = load(dir, text);
  EXPECT_EQ(make_container_spec(first.servers[0], kImage, {}, 20010).config_hash,
            make_container_spec(second.servers[0], kImage, {}, 20010).config_hash);
}

TEST(ConfigHash, ChangesWithAnythingThatShapesTheContainer) {
  TempDir dir;
  std::filesystem::create_directories(dir / "p");
  auto base = load(dir, R"({"mcpServers": {"a": {"image": "x/y:1"}}})").servers[0];
  std::string hash = make_container_spec(base, kImage, {}, 20010).config_hash;
  auto differs = [&](const config::Server& server, const ImageRef& image, int port) {
    return make_container_spec(server, image, images::container_args(server), port).config_hash !=
           hash;
  };
  EXPECT_TRUE(differs(base, {kImage.reference, "sha256:rebuilt", kImage.version}, 20010));
  EXPECT_FALSE(differs(base, kImage, 20011));  // the gateway publishes it
  auto full =
      load(dir, R"({"mcpServers": {"a": {"image": "x/y:1", "network": "full"}}})").servers[0];
  EXPECT_NE(make_container_spec(full, kImage, {}, 20010).config_hash,
            make_container_spec(full, kImage, {}, 20011).config_hash);
  EXPECT_TRUE(differs(base, {"x/y:2", kImage.id, kImage.version}, 20010));
  for (const char* text : {
           R"({"mcpServers": {"a": {"image": "x/y:1", "environment": {"K": "v"}}}})",
           R"({"mcpServers": {"a": {"image": "x/y:1", "args": ["--x"]}}})",
           R"({"mcpServers": {"a": {"image": "x/y:1", "limits": {"memory": "1g"}}}})",
           R"({"mcpServers": {"a": {"image": "x/y:1", "limits": {"cpus": "2"}}}})",
           R"({"mcpServers": {"a": {"image": "x/y:1", "limits": {"pids": 100}}}})",
           R"({"mcpServers": {"a": {"image": "x/y:1", "network": "full"}}})",
           R"({"mcpServers": {"a": {"image": "x/y:1", "network": {"allow": ["a.com:443"]}}}})",
           R"({"mcpServers": {"a": {"image": "x/y:1", "volumes": {"./p": "/p"}}}})",
           R"({"mcpServers": {"a": {"image": "x/y:1", "volumes": {"./p": "/p:ro"}}}})",
       })
    EXPECT_TRUE(differs(load(dir, text).servers[0], kImage, 20010)) << text;
  // Disabling or a comment shapes nothing in the container.
  EXPECT_FALSE(
      differs(load(dir, "{\"mcpServers\": {\"a\": {\"image\": \"x/y:1\" /* same */}}}").servers[0],
              kImage, 20010));
}

class VolumeRules : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(home / "project");
    std::filesystem::create_directories(home / ".ssh");
    std::filesystem::create_directories(home / ".config/gcloud");
    ccmcp::testing::write_file(dir / "docker.sock", "");
  }
  std::vector<VolumeRefusal> refusals(const std::string& host) {
    std::string text =
        R"({"mcpServers": {"v": {"image": "x/y:1", "volumes": {")" + host + R"(": "/m"}}}})";
    config::Config config = load(dir, text);
    return refused_volumes(config.servers[0], home, {dir / "docker.sock"});
  }
  TempDir dir;
  std::filesystem::path home = dir / "home";
};

TEST_F(VolumeRules, RefusesWhatHandsOverTheHost) {
  auto reason = [&](const std::string& host) {
    auto out = refusals(host);
    return out.empty() ? std::string("(allowed)") : out[0].reason;
  };
  EXPECT_EQ(reason("/"), "is the root folder /");
  EXPECT_EQ(reason(home.string()), "is the home folder itself");
  EXPECT_EQ(reason(home.string() + "/"), "is the home folder itself");
  EXPECT_EQ(reason((dir / "docker.sock").string()), "is the Docker socket");
  EXPECT_EQ(reason(dir.path().string()),
            "holds the Docker socket " + (dir / "docker.sock").string());
  EXPECT_EQ(reason(home.string() + "/.ssh"),
            "is in the credentials folder " + (home / ".ssh").string());
  EXPECT_EQ(reason(home.string() + "/.ssh/keys"),
            "is in the credentials folder " + (home / ".ssh").string());
  EXPECT_EQ(reason(home.string() + "/.aws"),
            "is in the credentials folder " + (home / ".aws").string());
  EXPECT_EQ(reason(home.string() + "/.config/gcloud"),
            "is in the credentials folder " + (home / ".config/gcloud").string());
  EXPECT_EQ(reason(home.string() + "/.config"),
            "holds the credentials folder " + (home / ".config/gcloud").string());
  EXPECT_EQ(reason(home.string() + "/project"), "(allowed)");
  EXPECT_EQ(reason(home.string() + "/.sshfoo"), "(allowed)");
  EXPECT_EQ(reason(home.string() + "/.config-other"), "(allowed)");
}

TEST_F(VolumeRules, FollowsSymlinks) {
  std::filesystem::create_directory_symlink(home / ".ssh", dir / "innocent");
  auto out = refusals((dir / "innocent").string());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].reason, "is in the credentials folder " + (home / ".ssh").string());
}

TEST_F(VolumeRules, CheckThrowsUnlessForced) {
  config::Config config =
      load(dir, R"({"mcpServers": {"v": {"image": "x/y:1", "volumes": {"/": "/host"}}}})");
  try {
    check_volumes(config.servers[0], home, {}, false);
    ADD_FAILURE() << "/ was allowed";
  } catch (const Error& error) {
    EXPECT_EQ(error.message(),
              "\"v\": volume \"/\" is the root folder /: mounting it would hand the server the "
              "host (mount a narrower folder, or pass --force if you mean it)");
  }
  EXPECT_NO_THROW(check_volumes(config.servers[0], home, {}, true));
}

}  // namespace
}  // namespace ccmcp::runtime
