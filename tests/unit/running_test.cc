#include "runtime/running.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "fake_http.h"
#include "runtime/external.h"
#include "runtime/external_files.h"
#include "runtime/state.h"
#include "test_util.h"

namespace ccmcp::runtime {
namespace {

using testing::FakeHttp;
using testing::TempDir;

const std::string kListPath =
    "GET /v1.41/containers/json?filters=" +
    docker::url_encode(R"({"label":["dev.cc-mcp.managed=true"],"status":["running"]})");

config::Server server(const std::string& name, config::Mode mode) {
  config::Server s;
  s.name = name;
  s.mode = mode;
  s.command = "x";
  return s;
}

docker::Engine engine_with(std::shared_ptr<FakeHttp> http) {
  return docker::Engine(docker::parse_endpoint(docker::kDefaultDockerHost), http);
}

TEST(RunningServers, DockerServersFromTheirRunningContainers) {
  TempDir dir;
  config::Home home{dir.path()};
  StateStore state(home);
  state.update([](Json& s) {
    s["servers"]["fs"]["port"] = 21001;
    s["servers"]["stopped"]["port"] = 21002;
  });
  auto http = std::make_shared<FakeHttp>();
  http->route("GET /version", 200, testing::kEngineVersion2010);
  http->route(kListPath, 200, R"([
    {"Id": "c1", "Labels": {"dev.cc-mcp.managed": "true", "dev.cc-mcp.name": "fs"},
     "Ports": [{"IP": "127.0.0.1", "PrivatePort": 3000, "PublicPort": 21001, "Type": "tcp"}]},
    {"Id": "c2", "Labels": {"dev.cc-mcp.managed": "true", "dev.cc-mcp.name": "nostate"},
     "Ports": [{"IP": "127.0.0.1", "PrivatePort": 3000, "PublicPort": 21555, "Type": "tcp"}]},
    {"Id": "c3", "Labels": {"dev.cc-mcp.managed": "true", "dev.cc-mcp.name": "notinconfig"}},
    {"Id": "c4", "Labels": {"dev.cc-mcp.managed": "true"}}
  ])");
  config::Config config;
  config.servers = {server("fs", config::Mode::docker), server("stopped", config::Mode::docker),
                    server("nostate", config::Mode::docker), server("ext", config::Mode::external)};
  auto engine = engine_with(http);
  auto running = running_servers(engine, config, home);
  ASSERT_EQ(running.size(), 2u);
  EXPECT_EQ(running[0].name, "fs");
  EXPECT_EQ(running[0].container_id, "c1");
  EXPECT_EQ(running[0].port, 21001);
  EXPECT_EQ(running[0].url, "http://127.0.0.1:21001/mcp");
  EXPECT_EQ(running[1].name, "nostate");
  EXPECT_EQ(running[1].port, 21555);  // no port in the state: the published one
  EXPECT_EQ(http->calls(), (std::vector<std::string>{"GET /version", kListPath}));
}

TEST(RunningServers, ExternalOnlyConfigsNeverAskTheEngine) {
  TempDir dir;
  config::Home home{dir.path()};
  StateStore(home).update([](Json& s) { s["servers"]["ext"]["port"] = 21003; });
  auto http = std::make_shared<FakeHttp>();
  http->fail_with(net::HttpFailure::no_socket);
  config::Config config;
  config.servers = {server("ext", config::Mode::external), server("off", config::Mode::external)};
  auto engine = engine_with(http);
  EXPECT_TRUE(running_servers(engine, config, home).empty());

  // A live supervisor: a process that holds the pid file's lock.
  std::filesystem::create_directories(home.run_dir());
  auto pid_file = external::paths_of(home, "ext").pid_file;
  pid_t child = ::fork();
  if (child == 0) {
    // Never back into the test runner from the forked copy.
    try {
      UniqueFd lock = external::lock_pid_file(pid_file);
      ::pause();
    } catch (...) {
    }
    ::_exit(1);
  }
  // Generous: under a parallel sanitizer run the child can be slow to lock.
  for (int i = 0; i < 5000 && !external::pid_file_locked(pid_file); ++i) ::usleep(2000);
  EXPECT_TRUE(external::pid_file_locked(pid_file)) << "the stand-in supervisor never locked";
  auto running = running_servers(engine, config, home);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  ASSERT_EQ(running.size(), 1u);
  EXPECT_EQ(running[0].name, "ext");
  EXPECT_EQ(running[0].mode, config::Mode::external);
  EXPECT_EQ(running[0].pid, child);
  EXPECT_EQ(running[0].url, "http://127.0.0.1:21003/mcp");
  EXPECT_TRUE(http->calls().empty());
}

TEST(RunningServers, AnUnreachableEngineIsAnError) {
  TempDir dir;
  auto http = std::make_shared<FakeHttp>();
  http->fail_with(net::HttpFailure::no_socket);
  config::Config config;
  config.servers = {server("fs", config::Mode::docker)};
  auto engine = engine_with(http);
  EXPECT_THROW(running_servers(engine, config, config::Home{dir.path()}), Error);
}

}  // namespace
}  // namespace ccmcp::runtime
