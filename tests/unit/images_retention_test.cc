// Retention against a fake engine: what is removed, and how.
#include <gtest/gtest.h>

#include "fake_http.h"
#include "images/catalog.h"

namespace ccmcp::images {
namespace {

using ccmcp::testing::FakeHttp;

TEST(RetentionEngine, RemovesTheOldestKeepsTheInUseAndUntagsMultiNamedOnes) {
  auto http = std::make_shared<FakeHttp>();
  http->route("GET /version", 200, ccmcp::testing::kEngineVersion2010);
  docker::Json filters = {{"label", {"dev.cc-mcp.name=x"}}};
  docker::Json list = docker::Json::array();
  auto add = [&](const std::string& id, int created, std::vector<std::string> tags) {
    list.push_back({{"Id", id},
                    {"Created", created},
                    {"Size", 1000},
                    {"RepoTags", tags},
                    {"Labels", {{"dev.cc-mcp.name", "x"}, {"dev.cc-mcp.version", id}}}});
  };
  add("sha256:6", 6, {"cc-mcp/x:6", "cc-mcp/x:latest"});
  add("sha256:5", 5, {"cc-mcp/x:5"});
  add("sha256:4", 4, {"cc-mcp/x:4"});
  add("sha256:3", 3, {"cc-mcp/x:3"});
  add("sha256:2", 2, {"cc-mcp/x:2", "cc-mcp/x:two"});  // several names
  add("sha256:1", 1, {"cc-mcp/x:1"});                  // a stopped container uses it
  add("sha256:0", 0, {"<none>:<none>"});               // untagged
  http->route("GET /v1.41/images/json?filters=" + docker::url_encode(filters.dump()), 200,
              list.dump());
  for (const char* target : {"cc-mcp%2Fx%3A2", "cc-mcp%2Fx%3Atwo", "sha256%3A0"})
    http->route(std::string("DELETE /v1.41/images/") + target, 200, "[]");
  http->route(
      "DELETE /v1.41/images/sha256%3A1", 409,
      R"({"message":"conflict: unable to delete (must be forced) - image is being used by stopped container"})");

  docker::Engine engine(docker::parse_endpoint(docker::kDefaultDockerHost), http);
  auto records = list_server_images(engine, "x");
  ASSERT_EQ(records.size(), 7u);
  EXPECT_TRUE(records[0].current);
  EXPECT_TRUE(records[6].tags.empty());

  RetentionResult result = apply_retention(engine, "x");
  EXPECT_EQ(result.removed, (std::vector<std::string>{"sha256:2", "sha256:0"}));
  EXPECT_EQ(result.kept_in_use, std::vector<std::string>{"sha256:1"});
  std::vector<std::string> deletes;
  for (const auto& call : http->calls())
    if (call.rfind("DELETE ", 0) == 0) deletes.push_back(call);
  EXPECT_EQ(deletes,
            (std::vector<std::string>{
                "DELETE /v1.41/images/cc-mcp%2Fx%3A2", "DELETE /v1.41/images/cc-mcp%2Fx%3Atwo",
                "DELETE /v1.41/images/sha256%3A1", "DELETE /v1.41/images/sha256%3A0"}));
}

}  // namespace
}  // namespace ccmcp::images
