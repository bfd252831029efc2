// The parts of external mode that need no server: command checks, where
// the bridge is found, the pid file's lock, and what status and stop say
// of a server that never ran. (tests/external runs a real one.)
#include "runtime/external.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "runtime/external_files.h"
#include "test_util.h"

namespace ccmcp::runtime::external {
namespace {

using testing::TempDir;
using testing::write_file;

config::Server external_server(const std::string& name, const std::string& command) {
  config::Server server;
  server.name = name;
  server.command = command;
  return server;
}

std::string message_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.message();
  }
  return "no error";
}

TEST(CheckCommand, NamesTheServerAndTheCommand) {
  TempDir dir;
  config::Config config;
  config.dir = dir.path();
  EXPECT_EQ(message_of([&] { check_command(config, external_server("github", "cc-mcp-no-npx")); }),
            "\"github\": command \"cc-mcp-no-npx\" not found on PATH (install it, or give its "
            "full path)");
  EXPECT_EQ(message_of([&] { check_command(config, external_server("a", "sh")); }), "no error");
  EXPECT_EQ(message_of([&] { check_command(config, external_server("a", "/nonexistent/x")); }),
            "\"a\": command \"/nonexistent/x\" does not exist or is not executable (check the "
            "path; a relative one starts at the folder of mcp.json)");
  // A relative path with a '/' starts at the folder of mcp.json.
  std::filesystem::create_directories(dir / "bin");
  write_file(dir / "bin" / "server", "#!/bin/sh\n");
  ::chmod((dir / "bin" / "server").c_str(), 0755);
  EXPECT_EQ(message_of([&] { check_command(config, external_server("a", "./bin/server")); }),
            "no error");
  // The server's own PATH is the one searched.
  auto server = external_server("a", "server");
  server.environment = {{"PATH", (dir / "bin").string()}};
  EXPECT_EQ(message_of([&] { check_command(config, server); }), "no error");
  server.command = "sh";
  EXPECT_EQ(message_of([&] { check_command(config, server); }),
            "\"a\": command \"sh\" not found on PATH (its environment's) (install it, or give "
            "its full path)");
}

TEST(FindBridge, TakesCcMcpBridgeFromTheEnvironment) {
  TempDir dir;
  write_file(dir / "bridge", "#!/bin/sh\n");
  ::chmod((dir / "bridge").c_str(), 0755);
  ::setenv("CC_MCP_BRIDGE", (dir / "bridge").c_str(), 1);
  EXPECT_EQ(find_bridge(), dir / "bridge");
  ::setenv("CC_MCP_BRIDGE", (dir / "nope").c_str(), 1);
  EXPECT_EQ(message_of([] { find_bridge(); }),
            "$CC_MCP_BRIDGE: \"" + (dir / "nope").string() +
                "\" is not an executable file (point it at cc-mcp-bridge, or unset it)");
  ::unsetenv("CC_MCP_BRIDGE");
}

TEST(PidFile, IsLockedWhileItsHolderLives) {
  TempDir dir;
  auto path = dir / "x.pid";
  EXPECT_FALSE(pid_file_locked(path));
  EXPECT_FALSE(read_pid_file(path));
  pid_t child = ::fork();
  if (child == 0) {
    UniqueFd lock = lock_pid_file(path);
    ::pause();
    ::_exit(0);
  }
  for (int i = 0; i < 500 && !read_pid_file(path); ++i) ::usleep(2000);
  EXPECT_EQ(read_pid_file(path), child);
  EXPECT_TRUE(pid_file_locked(path));
  EXPECT_FALSE(lock_pid_file(path)) << "a second holder";
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  EXPECT_FALSE(pid_file_locked(path));
  write_file(path, "garbage\n");
  EXPECT_FALSE(read_pid_file(path));
}

TEST(Status, OfAServerThatNeverRan) {
  TempDir dir;
  config::Home home{dir.path()};
  auto s = status(home, "never");
  EXPECT_FALSE(s.running);
  EXPECT_EQ(s.pid, 0);
  EXPECT_EQ(s.processes, 0);
  EXPECT_EQ(s.uptime().count(), 0);
  EXPECT_EQ(s.log_file, dir / "logs" / "never.log");
  EXPECT_FALSE(is_running(home, "never"));
  EXPECT_FALSE(stop(home, "never"));
  EXPECT_TRUE(read_log(home, "never").empty());
}

TEST(Stop, DoesNotTouchASessionThatIsNotOurs) {
  // A stale pid file naming a live session leader that is not a supervisor
  // (the pid was given to another program): nothing is killed, the file goes.
  TempDir dir;
  config::Home home{dir.path()};
  std::filesystem::create_directories(home.run_dir());
  pid_t stranger = ::fork();
  if (stranger == 0) {
    ::setsid();
    ::pause();
    ::_exit(0);
  }
  for (int i = 0; i < 500 && ::getsid(stranger) != stranger; ++i) ::usleep(2000);
  write_file(paths_of(home, "x").pid_file, std::to_string(stranger) + "\n");
  EXPECT_FALSE(stop(home, "x", std::chrono::milliseconds(100)));
  EXPECT_FALSE(std::filesystem::exists(paths_of(home, "x").pid_file));
  EXPECT_EQ(::kill(stranger, 0), 0) << "the stranger was killed";
  ::kill(stranger, SIGKILL);
  ::waitpid(stranger, nullptr, 0);
}

}  // namespace
}  // namespace ccmcp::runtime::external
