#include "runtime/status.h"

#include <gtest/gtest.h>

#include <atomic>

#include "config/load.h"
#include "fake_http.h"
#include "test_util.h"

namespace ccmcp::runtime {
namespace {

using ccmcp::testing::FakeHttp;
using ccmcp::testing::TempDir;

// An engine with four servers' containers: running (two stats samples a
// quarter second of CPU apart), restarting, exited, and running but
// unhealthy; one server has no container at all. The gateways of the
// running ones run (they are never inspected: their list entry says it).
class DockerStatus : public ::testing::Test {
 protected:
  void SetUp() override {
    config::ConfigLocation location{dir / "mcp.json", "mcp.json"};
    config = config::check_config_text(location, R"({"mcpServers": {
        "up": {"image": "x/up:1"}, "looping": {"image": "x/l:1"}, "down": {"image": "x/d:1"},
        "sick": {"image": "x/s:1"}, "never": {"image": "x/n:1"}}})")
                 .validation.config;
    http->route("GET /version", 200, ccmcp::testing::kEngineVersion2010);
    http->route(
        "GET "
        "/v1.41/containers/"
        "json?all=1&filters=%7B%22label%22%3A%5B%22dev.cc-mcp.managed%3Dtrue%22%5D%7D",
        200, R"([
          {"Id": "c-up", "Names": ["/mcp-up"], "Image": "x/up:1",
           "Labels": {"dev.cc-mcp.name": "up", "dev.cc-mcp.version": "1.0"},
           "Ports": [{"PrivatePort": 3000, "PublicPort": 24001, "IP": "127.0.0.1"}]},
          {"Id": "c-l", "Names": ["/mcp-looping"], "Labels": {"dev.cc-mcp.name": "looping"}},
          {"Id": "c-d", "Names": ["/mcp-down"], "Labels": {"dev.cc-mcp.name": "down"}},
          {"Id": "c-s", "Names": ["/mcp-sick"], "Labels": {"dev.cc-mcp.name": "sick"}},
          {"Id": "g-up", "Names": ["/cc-mcp-gw-up"], "State": "running",
           "Labels": {"dev.cc-mcp.name": "up", "dev.cc-mcp.gateway": "true"}},
          {"Id": "g-s", "Names": ["/cc-mcp-gw-sick"], "State": "running",
           "Labels": {"dev.cc-mcp.name": "sick", "dev.cc-mcp.gateway": "true"}},
          {"Id": "g-l", "Names": ["/cc-mcp-gw-looping"], "State": "exited",
           "Labels": {"dev.cc-mcp.name": "looping", "dev.cc-mcp.gateway": "true"}}])");
    auto inspect = [](const std::string& status, int restarts, int code) {
      return R"({"RestartCount": )" + std::to_string(restarts) + R"(, "State": {"Status": ")" +
             status + R"(", "ExitCode": )" + std::to_string(code) +
             R"(, "Pid": 0, "StartedAt": "2020-01-01T00:00:00Z"}})";
    };
    http->route("GET /v1.41/containers/c-up/json", 200, inspect("running", 0, 0));
    http->route("GET /v1.41/containers/c-l/json", 200, inspect("restarting", 4, 2));
    http->route("GET /v1.41/containers/c-d/json", 200, inspect("exited", 0, 137));
    http->route("GET /v1.41/containers/c-s/json", 200, inspect("running", 1, 0));
    for (const char* id : {"c-up", "c-s"}) {
      auto calls = std::make_shared<std::atomic<int>>(0);
      http->route(std::string("GET /v1.41/containers/") + id + "/stats?stream=false&one-shot=true",
                  [calls](const net::HttpRequest&) {
                    int n = (*calls)++;
                    net::HttpResponse response;
                    response.status = 200;
                    response.body = R"({"read": "2026-01-01T00:00:0)" + std::to_string(n) +
                                    R"(.000000000Z", "cpu_stats": {"cpu_usage": {"total_usage": )" +
                                    std::to_string(1000000000 + n * 250000000) +
                                    R"(}, "system_cpu_usage": 1, "online_cpus": 2},
                                    "memory_stats": {"usage": 2048000, "limit": 536870912}})";
                    return response;
                  });
    }
    // The bridges' /healthz (the fake ignores host and port: both share it,
    // so "sick" is told apart by its port below).
    http->route("GET /healthz", [](const net::HttpRequest& request) {
      net::HttpResponse response;
      response.status = request.url.find(":24001/") != std::string::npos ? 200 : 503;
      return response;
    });
    state.update([](Json& s) { s["servers"]["sick"]["port"] = 24002; });
  }

  TempDir dir;
  config::Config config;
  std::shared_ptr<FakeHttp> http = std::make_shared<FakeHttp>();
  docker::Engine engine{docker::parse_endpoint(docker::kDefaultDockerHost), http};
  StateStore state{config::Home{dir.path()}};
};

TEST_F(DockerStatus, EachStateFromTheEngine) {
  std::vector<const config::Server*> servers;
  for (const auto& server : config.servers) servers.push_back(&server);
  StatusOptions options;
  options.cpu_interval = std::chrono::milliseconds(50);
  auto rows = docker_status(engine, *http, servers, state, options);
  ASSERT_EQ(rows.size(), 5u);

  const auto& up = rows[0];
  EXPECT_EQ(up.state, RunState::running);
  EXPECT_EQ(up.port, 24001);  // from the container: the state had none
  EXPECT_EQ(up.url, "http://127.0.0.1:24001/mcp");
  EXPECT_EQ(up.version, "1.0");
  EXPECT_EQ(up.stats_source, "engine");
  ASSERT_TRUE(up.cpu_percent);
  EXPECT_DOUBLE_EQ(*up.cpu_percent, 25.0);  // 250 ms of CPU in one second
  EXPECT_EQ(up.memory_usage, 2048000u);
  EXPECT_EQ(up.memory_limit, 536870912u);
  EXPECT_GT(up.uptime->count(), 3600);

  EXPECT_EQ(rows[1].state, RunState::restarting);
  EXPECT_EQ(rows[1].restart_count, 4);
  EXPECT_FALSE(rows[1].cpu_percent);

  EXPECT_EQ(rows[2].state, RunState::stopped);
  EXPECT_EQ(rows[2].detail, "exited (137)");

  EXPECT_EQ(rows[3].state, RunState::unhealthy);
  EXPECT_EQ(rows[3].detail, "healthz 503");
  EXPECT_EQ(rows[3].restart_count, 1);
  EXPECT_TRUE(rows[3].url.empty());

  EXPECT_EQ(rows[4].state, RunState::stopped);
  EXPECT_EQ(rows[4].detail, "no container");
}

TEST_F(DockerStatus, ARunningServerWithoutItsGatewayIsUnreachable) {
  std::vector<const config::Server*> servers = {&config.servers[0]};
  http->route(
      "GET "
      "/v1.41/containers/"
      "json?all=1&filters=%7B%22label%22%3A%5B%22dev.cc-mcp.managed%3Dtrue%22%5D%7D",
      200, R"([{"Id": "c-up", "Names": ["/mcp-up"], "Labels": {"dev.cc-mcp.name": "up"}},
               {"Id": "g-up", "Names": ["/cc-mcp-gw-up"], "State": "exited",
                "Labels": {"dev.cc-mcp.name": "up", "dev.cc-mcp.gateway": "true"}}])");
  StatusOptions options;
  options.cpu_interval = std::chrono::milliseconds(10);
  auto rows = docker_status(engine, *http, servers, state, options);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].state, RunState::unhealthy);
  EXPECT_EQ(rows[0].detail, "its gateway cc-mcp-gw-up is exited (cc-mcp restart up)");
  EXPECT_EQ(rows[0].network, "none");
}

TEST_F(DockerStatus, AnUnreachableEngineIsAnError) {
  http->fail_with(net::HttpFailure::no_socket);
  std::vector<const config::Server*> servers = {&config.servers[0]};
  EXPECT_THROW(docker_status(engine, *http, servers, state, {}), Error);
}

}  // namespace
}  // namespace ccmcp::runtime
