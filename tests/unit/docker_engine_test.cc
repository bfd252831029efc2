#include "docker/engine.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <cstdlib>

#include "docker/streams.h"
#include "docker/tar_writer.h"
#include "fake_http.h"
#include "test_util.h"

namespace ccmcp::docker {
namespace {

using ccmcp::testing::FakeHttp;
using ccmcp::testing::kEngineVersion2010;

Engine fake_engine(std::shared_ptr<FakeHttp> http) {
  return Engine(parse_endpoint(kDefaultDockerHost), http);
}

TEST(Endpoint, ParsesUnixAndTcp) {
  Endpoint unix_endpoint = parse_endpoint("unix:///run/docker.sock");
  EXPECT_EQ(unix_endpoint.kind, Endpoint::Kind::unix_socket);
  EXPECT_EQ(unix_endpoint.socket_path, "/run/docker.sock");
  EXPECT_EQ(unix_endpoint.base_url(), "http://localhost");

  Endpoint tcp = parse_endpoint("tcp://127.0.0.1:2375");
  EXPECT_EQ(tcp.kind, Endpoint::Kind::tcp);
  EXPECT_EQ(tcp.host, "127.0.0.1");
  EXPECT_EQ(tcp.port, 2375);
  EXPECT_EQ(tcp.base_url(), "http://127.0.0.1:2375");

  EXPECT_EQ(parse_endpoint("tcp://docker.example").port, 2375);
  EXPECT_EQ(parse_endpoint("tcp://docker.example", true).port, 2376);
  EXPECT_EQ(parse_endpoint("tcp://docker.example", true).base_url(), "https://docker.example:2376");
  EXPECT_EQ(parse_endpoint("tcp://[::1]:2375").base_url(), "http://[::1]:2375");
}

TEST(Endpoint, RefusesOtherForms) {
  for (const char* bad : {"http://x", "unix://relative", "tcp://", "tcp://host:99999",
                          "ssh://me@host", "/var/run/docker.sock"}) {
    try {
      parse_endpoint(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::engine) << bad;
      EXPECT_NE(error.message().find("DOCKER_HOST"), std::string::npos) << error.message();
    }
  }
}

TEST(Endpoint, FromEnvironment) {
  ::setenv("DOCKER_HOST", "tcp://127.0.0.1:1234", 1);
  EXPECT_EQ(endpoint_from_environment().port, 1234);
  ::unsetenv("DOCKER_HOST");
  EXPECT_EQ(endpoint_from_environment().socket_path, "/var/run/docker.sock");
}

TEST(Engine, NegotiatesTheEnginesVersionOnce) {
  auto http = std::make_shared<FakeHttp>();
  http->route("GET /version", 200, kEngineVersion2010);
  http->route("GET /v1.41/_ping", 200, "OK");
  Engine engine = fake_engine(http);
  EXPECT_EQ(engine.api_version(), "1.41");
  net::HttpRequest ping;
  ping.url = "/_ping";
  EXPECT_EQ(engine.call(ping).body, "OK");
  EXPECT_EQ(engine.call(ping).body, "OK");
  EXPECT_EQ(http->calls(),
            (std::vector<std::string>{"GET /version", "GET /v1.41/_ping", "GET /v1.41/_ping"}));
  EXPECT_EQ(http->sent()[1].unix_socket, "/var/run/docker.sock");
}

TEST(Engine, SpeaksNoNewerThanItKnows) {
  auto http = std::make_shared<FakeHttp>();
  http->route("GET /version", 200, R"({"ApiVersion":"1.99","Version":"99.0"})");
  Engine engine = fake_engine(http);
  EXPECT_EQ(engine.api_version(), kNewestApiVersion);
}

TEST(Engine, RefusesAnEngineOlderThan2010) {
  auto http = std::make_shared<FakeHttp>();
  http->route("GET /version", 200, R"({"ApiVersion":"1.40","Version":"19.03"})");
  Engine engine = fake_engine(http);
  try {
    engine.api_version();
    FAIL() << "accepted API 1.40";
  } catch (const Error& error) {
    EXPECT_EQ(error.message(),
              "the Docker engine at unix:///var/run/docker.sock speaks API 1.40, older than "
              "1.41, the oldest cc-mcp speaks (upgrade Docker to 20.10 or newer)");
  }
}

TEST(Engine, UnreachableEngineIsWordedForPeople) {
  auto http = std::make_shared<FakeHttp>();
  http->fail_with(net::HttpFailure::no_socket);
  Engine engine = fake_engine(http);
  try {
    engine.get("/containers/json");
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.message(),
              "cannot reach the Docker engine at unix:///var/run/docker.sock (is dockerd "
              "running? scripts/setup starts it)");
  }
  http->fail_with(net::HttpFailure::permission_denied);
  try {
    engine.get("/containers/json");
    FAIL();
  } catch (const Error& error) {
    EXPECT_NE(error.message().find("run as root or join the docker group"), std::string::npos);
  }
}

TEST(Engine, ErrorStatusesCarryTheEnginesMessage) {
  auto http = std::make_shared<FakeHttp>();
  http->route("GET /version", 200, kEngineVersion2010);
  http->route("POST /v1.41/containers/create?name=mcp-x", 409,
              R"({"message":"Conflict. The container name \"/mcp-x\" is already in use"})");
  Engine engine = fake_engine(http);
  try {
    engine.post("/containers/create?name=mcp-x", Json::object(), "\"x\"");
    FAIL();
  } catch (const EngineError& error) {
    EXPECT_EQ(error.status(), 409);
    EXPECT_EQ(error.kind(), ErrorKind::conflict);
    EXPECT_EQ(error.message(),
              "\"x\": the Docker engine said: conflict. The container name \"/mcp-x\" is "
              "already in use");
  }
  EXPECT_FALSE(engine.get_if_exists("/images/nothing/json").has_value());
}

TEST(Engine, CompareApiVersionsNumerically) {
  EXPECT_LT(compare_api_versions("1.9", "1.41"), 0);
  EXPECT_GT(compare_api_versions("1.41", "1.9"), 0);
  EXPECT_EQ(compare_api_versions("1.41", "1.41"), 0);
  EXPECT_EQ(url_encode("cc-mcp/fs:1.0"), "cc-mcp%2Ffs%3A1.0");
}

TEST(LogDemuxer, SplitsFramesAcrossAnyChunking) {
  std::string stream;
  auto frame = [&](char kind, const std::string& payload) {
    std::string header(8, '\0');
    header[0] = kind;
    header[4] = static_cast<char>((payload.size() >> 24) & 0xff);
    header[5] = static_cast<char>((payload.size() >> 16) & 0xff);
    header[6] = static_cast<char>((payload.size() >> 8) & 0xff);
    header[7] = static_cast<char>(payload.size() & 0xff);
    stream += header + payload;
  };
  frame(1, "hello\n");
  frame(2, "oops\n");
  frame(1, std::string(70000, 'x'));
  for (size_t chunk : {1, 3, 8, 9, 4096, 100000}) {
    std::string out, err;
    LogDemuxer demuxer([&](LogStream which, std::string_view payload) {
      (which == LogStream::stderr_ ? err : out).append(payload);
    });
    for (size_t at = 0; at < stream.size(); at += chunk)
      demuxer.feed(std::string_view(stream).substr(at, chunk));
    EXPECT_EQ(out, "hello\n" + std::string(70000, 'x')) << chunk;
    EXPECT_EQ(err, "oops\n") << chunk;
    EXPECT_EQ(demuxer.pending(), 0u);
  }
}

TEST(JsonLineStream, EmitsWholeMessages) {
  std::vector<Json> messages;
  JsonLineStream lines([&](const Json& message) { messages.push_back(message); });
  std::string text =
      "{\"stream\":\"Step 1/2 : FROM x\\n\"}\r\n{\"stream\":\"a\"}\nnot json\n{\"error\":\"e\"}";
  for (char c : text) lines.feed(std::string_view(&c, 1));
  lines.finish();
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[0]["stream"], "Step 1/2 : FROM x\n");
  EXPECT_EQ(messages[2]["stream"], "not json\n");
  EXPECT_EQ(messages[3]["error"], "e");
}

TEST(TarWriter, SameContentSameDigest) {
  ccmcp::testing::TempDir dir;
  std::filesystem::create_directories(dir / "tree/sub");
  ccmcp::testing::write_file(dir / "tree/b.txt", "b");
  ccmcp::testing::write_file(dir / "tree/sub/a.txt", "a");
  std::filesystem::create_symlink("b.txt", dir / "tree/link");

  auto make = [&](const std::string& name) {
    TarWriter tar(dir / name);
    tar.add_bytes("Dockerfile", "FROM scratch\n");
    tar.add_tree(dir / "tree", "app",
                 [](const std::filesystem::path& p, bool) { return p == "skipme"; });
    return tar.finish();
  };
  std::string first = make("one.tar");
  // Touching files changes mtimes but not the archive.
  ::utimensat(AT_FDCWD, (dir / "tree/b.txt").c_str(), nullptr, 0);
  std::string second = make("two.tar");
  EXPECT_EQ(first, second);
  EXPECT_EQ(first.rfind("sha256:", 0), 0u);
  ccmcp::testing::write_file(dir / "tree/b.txt", "changed");
  EXPECT_NE(make("three.tar"), first);
}

TEST(TarWriter, FullDiskIsAClearError) {
  if (::access("/dev/full", W_OK) != 0) GTEST_SKIP() << "no /dev/full";
  try {
    TarWriter tar("/dev/full");
    tar.add_bytes("big", std::string(1 << 20, 'x'));
    tar.finish();
    FAIL() << "wrote to /dev/full";
  } catch (const Error& error) {
    EXPECT_NE(error.message().find("the disk is full"), std::string::npos) << error.message();
  }
}

}  // namespace
}  // namespace ccmcp::docker
