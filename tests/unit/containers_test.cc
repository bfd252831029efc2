#include "docker/containers.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <gtest/gtest.h>

#include "fake_http.h"
#include "runtime/containers.h"
#include "util/unique_fd.h"

namespace ccmcp::docker {
namespace {

using ccmcp::testing::FakeHttp;
using ccmcp::testing::kEngineVersion2010;

struct Fixture {
  std::shared_ptr<FakeHttp> http = std::make_shared<FakeHttp>();
  Engine engine{parse_endpoint(kDefaultDockerHost), http};
  Fixture() { http->route("GET /version", 200, kEngineVersion2010); }
};

std::string frame(int stream, const std::string& payload) {
  std::string out = {static_cast<char>(stream), 0, 0, 0};
  uint32_t n = static_cast<uint32_t>(payload.size());
  out += static_cast<char>(n >> 24);
  out += static_cast<char>(n >> 16);
  out += static_cast<char>(n >> 8);
  out += static_cast<char>(n);
  return out + payload;
}

TEST(Containers, ListsByLabelFilter) {
  Fixture f;
  f.http->route(
      "GET "
      "/v1.41/containers/"
      "json?all=1&filters=%7B%22label%22%3A%5B%22dev.cc-mcp.managed%3Dtrue%22%5D%7D",
      200, R"([{"Id": "abc", "Names": ["/mcp-fs"]}])");
  auto list = list_containers(f.engine, {"dev.cc-mcp.managed=true"});
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["Id"], "abc");
}

TEST(Containers, CreateStartStopRemove) {
  Fixture f;
  f.http->route("POST /v1.41/containers/create?name=mcp-fs", 201,
                R"({"Id": "c1", "Warnings": []})");
  f.http->route("POST /v1.41/containers/c1/start", 304, "");
  f.http->route("POST /v1.41/containers/c1/stop?t=7", 204, "");
  f.http->route("POST /v1.41/containers/c1/restart?t=3", 204, "");
  f.http->route("DELETE /v1.41/containers/c1?force=1", 404, R"({"message": "No such container"})");
  EXPECT_EQ(create_container(f.engine, "mcp-fs", {{"Image", "x"}}), "c1");
  EXPECT_EQ(f.http->sent().back().body, R"({"Image":"x"})");
  start_container(f.engine, "c1");  // already running: no error
  stop_container(f.engine, "c1", std::chrono::seconds(7));
  EXPECT_EQ(f.http->sent().back().timeout, std::chrono::seconds(37));
  restart_container(f.engine, "c1", std::chrono::seconds(3));
  remove_container(f.engine, "c1", true);  // already gone: no error
}

TEST(Containers, CreateConflictIsAConflict) {
  Fixture f;
  f.http->route("POST /v1.41/containers/create?name=mcp-fs", 409,
                R"({"message": "Conflict. The container name \"/mcp-fs\" is already in use"})");
  try {
    create_container(f.engine, "mcp-fs", {{"Image", "x"}});
    ADD_FAILURE();
  } catch (const EngineError& error) {
    EXPECT_EQ(error.status(), 409);
    EXPECT_EQ(error.kind(), ErrorKind::conflict);
  }
}

TEST(Containers, StatsAreOneShotWithATimeout) {
  Fixture f;
  f.http->route("GET /v1.41/containers/c1/stats?stream=false&one-shot=true", 200,
                R"({"cpu_stats": {}})");
  EXPECT_TRUE(container_stats(f.engine, "c1").contains("cpu_stats"));
  EXPECT_EQ(f.http->sent().back().timeout, std::chrono::seconds(5));
}

TEST(Containers, LogsAreDemultiplexed) {
  Fixture f;
  f.http->route("GET /v1.41/containers/c1/logs?stdout=1&stderr=1&tail=20&since=1700000000.5", 200,
                frame(1, "out one\n") + frame(2, "err one\n") + frame(1, "out two\n"));
  std::string out, err;
  LogOptions options;
  options.tail = "20";
  options.since = "1700000000.5";
  bool cancelled = stream_logs(f.engine, "c1", options, [&](LogStream stream, std::string_view s) {
    (stream == LogStream::stderr_ ? err : out).append(s);
  });
  EXPECT_FALSE(cancelled);
  EXPECT_EQ(out, "out one\nout two\n");
  EXPECT_EQ(err, "err one\n");
}

TEST(Containers, FollowEndsWhenCancelled) {
  Fixture f;
  std::atomic<bool> cancel{false};
  f.http->route("GET /v1.41/containers/c1/logs?stdout=1&stderr=1&follow=1&timestamps=1", 200,
                frame(1, "a\n") + frame(1, "b\n") + frame(1, "c\n"));
  LogOptions options;
  options.follow = true;
  options.timestamps = true;
  options.cancel = &cancel;
  std::string out;
  bool cancelled = stream_logs(f.engine, "c1", options, [&](LogStream, std::string_view s) {
    out.append(s);
    cancel = true;  // Ctrl-C after the first line
  });
  EXPECT_TRUE(cancelled);
  EXPECT_EQ(out, "a\n");
  EXPECT_EQ(f.http->sent().back().timeout.count(), 0);  // a follow has no time limit
}

TEST(Containers, EngineTimes) {
  auto time = parse_engine_time("2026-12-03T19:40:05.507843358Z");
  ASSERT_TRUE(time);
  EXPECT_EQ(unix_time_text(*time), "1796326805.507843358");
  EXPECT_EQ(unix_time_text(*parse_engine_time("2026-12-03T20:40:05+01:00")),
            "1796326805.000000000");
  EXPECT_FALSE(parse_engine_time("0001-01-01T00:00:00Z"));
  EXPECT_FALSE(parse_engine_time("yesterday"));
  EXPECT_FALSE(parse_engine_time("2026-12-03T19:40:05"));
}

// --- runtime::bring_up and friends on the fake engine -------------------

const char* kInspectPath = "GET /v1.41/containers/mcp-fs/json";

std::string inspect_body(const std::string& labels, const std::string& status) {
  return R"({"Id": "c1", "Config": {"Labels": )" + labels + R"(}, "State": {"Status": ")" + status +
         R"("}, "RestartCount": 0})";
}

runtime::ContainerSpec spec_with_hash(const std::string& hash) {
  return {"mcp-fs", {{"Image", "x"}}, hash};
}

bool posted_or_deleted(const std::vector<std::string>& calls) {
  for (const auto& call : calls)
    if (call.rfind("GET ", 0) != 0) return true;
  return false;
}

TEST(BringUp, RefusesAForeignContainerAndTouchesNothing) {
  Fixture f;
  f.http->route(kInspectPath, 200, inspect_body(R"({"maintainer": "someone"})", "running"));
  try {
    runtime::bring_up(f.engine, "fs", spec_with_hash("h"), 0, "/state.json");
    ADD_FAILURE();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::conflict);
    EXPECT_EQ(error.message(),
              "\"fs\": a container named \"mcp-fs\" exists that cc-mcp did not create; it was "
              "left alone (rename or remove it yourself (docker rm mcp-fs), or rename the server "
              "in mcp.json)");
  }
  EXPECT_THROW(runtime::stop_managed(f.engine, "mcp-fs", "fs"), Error);
  EXPECT_THROW(runtime::remove_managed(f.engine, "mcp-fs", "fs"), Error);
  EXPECT_FALSE(posted_or_deleted(f.http->calls()));
}

TEST(BringUp, LeavesAnUnchangedRunningContainerAlone) {
  Fixture f;
  f.http->route(kInspectPath, 200,
                inspect_body(R"({"dev.cc-mcp.managed": "true", "dev.cc-mcp.name": "fs",
                                 "dev.cc-mcp.config-hash": "h"})",
                             "running"));
  auto result = runtime::bring_up(f.engine, "fs", spec_with_hash("h"), 0, "/state.json");
  EXPECT_EQ(result.outcome, runtime::UpOutcome::already_running);
  EXPECT_FALSE(posted_or_deleted(f.http->calls()));
}

TEST(BringUp, StartsAnUnchangedStoppedOne) {
  Fixture f;
  f.http->route(kInspectPath, 200,
                inspect_body(R"({"dev.cc-mcp.managed": "true", "dev.cc-mcp.name": "fs",
                                 "dev.cc-mcp.config-hash": "h"})",
                             "exited"));
  f.http->route("POST /v1.41/containers/c1/start", 204, "");
  auto result = runtime::bring_up(f.engine, "fs", spec_with_hash("h"), 0, "/state.json");
  EXPECT_EQ(result.outcome, runtime::UpOutcome::started);
  EXPECT_EQ(f.http->calls().back(), "POST /v1.41/containers/c1/start");
}

TEST(BringUp, RecreatesAChangedOne) {
  Fixture f;
  f.http->route(kInspectPath, 200,
                inspect_body(R"({"dev.cc-mcp.managed": "true", "dev.cc-mcp.name": "fs",
                                 "dev.cc-mcp.config-hash": "old"})",
                             "running"));
  f.http->route("DELETE /v1.41/containers/c1?force=1", 204, "");
  f.http->route("POST /v1.41/containers/create?name=mcp-fs", 201, R"({"Id": "c2"})");
  f.http->route("POST /v1.41/containers/c2/start", 204, "");
  auto result = runtime::bring_up(f.engine, "fs", spec_with_hash("new"), 0, "/state.json");
  EXPECT_EQ(result.outcome, runtime::UpOutcome::recreated);
  EXPECT_EQ(result.id, "c2");
  auto calls = f.http->calls();
  EXPECT_EQ(std::vector<std::string>(calls.end() - 3, calls.end()),
            (std::vector<std::string>{"DELETE /v1.41/containers/c1?force=1",
                                      "POST /v1.41/containers/create?name=mcp-fs",
                                      "POST /v1.41/containers/c2/start"}));
}

TEST(BringUp, RefusesAPortAnotherProcessHolds) {
  Fixture f;
  f.http->route(kInspectPath, 404, R"({"message": "No such container: mcp-fs"})");
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t length = sizeof addr;
  ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &length);
  ::listen(fd.get(), 1);
  int port = ntohs(addr.sin_port);
  try {
    runtime::bring_up(f.engine, "fs", spec_with_hash("h"), port, "/state.json");
    ADD_FAILURE();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::conflict);
    EXPECT_NE(error.message().find("port " + std::to_string(port) +
                                   " on 127.0.0.1 is taken by another process"),
              std::string::npos)
        << error.message();
  }
  EXPECT_FALSE(posted_or_deleted(f.http->calls()));
}

TEST(BringUp, StopAndRemoveOnlyWhatIsThere) {
  Fixture f;
  f.http->route(kInspectPath, 404, R"({"message": "No such container: mcp-fs"})");
  EXPECT_FALSE(runtime::stop_managed(f.engine, "mcp-fs", "fs"));
  EXPECT_FALSE(runtime::remove_managed(f.engine, "mcp-fs", "fs"));
  f.http->route(
      kInspectPath, 200,
      inspect_body(R"({"dev.cc-mcp.managed": "true", "dev.cc-mcp.name": "fs"})", "running"));
  f.http->route("POST /v1.41/containers/c1/stop?t=10", 204, "");
  f.http->route("DELETE /v1.41/containers/c1?force=1", 204, "");
  EXPECT_TRUE(runtime::remove_managed(f.engine, "mcp-fs", "fs"));
  auto calls = f.http->calls();
  EXPECT_EQ(calls.back(), "DELETE /v1.41/containers/c1?force=1");
}

}  // namespace
}  // namespace ccmcp::docker
