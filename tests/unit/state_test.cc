#include "runtime/state.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

#include "test_util.h"
#include "util/error.h"
#include "util/unique_fd.h"

namespace ccmcp::runtime {
namespace {

using ccmcp::testing::TempDir;

TEST(StateStore, EmptyWhenNothingWasStored) {
  TempDir dir;
  StateStore store(config::Home{dir.path()});
  EXPECT_EQ(store.load(), (Json{{"servers", Json::object()}}));
  EXPECT_FALSE(store.port_of("fs").has_value());
}

TEST(StateStore, PortIsPickedOnceAndKept) {
  TempDir dir;
  StateStore store(config::Home{dir.path()});
  int port = store.ensure_port("fs");
  EXPECT_GE(port, kFirstPort);
  EXPECT_LE(port, kLastPort);
  EXPECT_EQ(store.ensure_port("fs"), port);
  EXPECT_EQ(StateStore(config::Home{dir.path()}).port_of("fs"), port);
  // Other keys of the server survive a later change.
  store.update([](Json& state) { state["servers"]["fs"]["mode"] = "docker"; });
  EXPECT_EQ(store.port_of("fs"), port);
  EXPECT_EQ((*store.server("fs"))["mode"], "docker");
}

TEST(StateStore, TwentyWritersGetTwentyPorts) {
  TempDir dir;
  std::vector<std::thread> threads;
  std::vector<int> ports(20);
  for (int i = 0; i < 20; ++i)
    threads.emplace_back([&, i] {
      StateStore store(config::Home{dir.path()});
      ports[i] = store.ensure_port("server" + std::to_string(i));
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(std::set<int>(ports.begin(), ports.end()).size(), 20u);
  StateStore store(config::Home{dir.path()});
  for (int i = 0; i < 20; ++i) EXPECT_EQ(store.port_of("server" + std::to_string(i)), ports[i]);
}

TEST(StateStore, SkipsAPortSomeoneListensOn) {
  TempDir dir;
  // Where "busy" would go first, something already listens.
  TempDir probe;
  int first = StateStore(config::Home{probe.path()}).ensure_port("busy");
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(first));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd.get(), 1), 0);
  EXPECT_FALSE(port_is_free(first));
  EXPECT_NE(StateStore(config::Home{dir.path()}).ensure_port("busy"), first);
}

TEST(StateStore, DamagedFileStartsOver) {
  TempDir dir;
  std::filesystem::create_directories(dir / "state");
  ccmcp::testing::write_file(dir / "state/servers.json", "{not json");
  StateStore store(config::Home{dir.path()});
  EXPECT_EQ(store.load(), (Json{{"servers", Json::object()}}));
  EXPECT_GT(store.ensure_port("fs"), 0);
}

TEST(StateStore, UnwritableHomeIsAClearError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes anywhere";
  TempDir dir;
  std::filesystem::permissions(
      dir.path(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  StateStore store(config::Home{dir.path() / "home"});
  EXPECT_THROW(store.ensure_port("fs"), Error);
}

TEST(StateStore, ServerUrl) {
  EXPECT_EQ(server_url(24117), "http://127.0.0.1:24117/mcp");
}

}  // namespace
}  // namespace ccmcp::runtime
