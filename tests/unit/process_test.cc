#include "util/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <gtest/gtest.h>

#include "test_util.h"
#include "util/error.h"

namespace ccmcp {
namespace {

using testing::TempDir;
using testing::write_file;

TEST(FindOnPath, FindsExecutablesInOrderAndSkipsTheRest) {
  TempDir dir;
  std::filesystem::create_directories(dir / "a");
  std::filesystem::create_directories(dir / "b");
  std::filesystem::create_directories(dir / "b" / "folder");
  write_file(dir / "a" / "tool", "#!/bin/sh\n");  // not executable
  write_file(dir / "b" / "tool", "#!/bin/sh\n");
  ::chmod((dir / "b" / "tool").c_str(), 0755);
  std::string path = (dir / "a").string() + ":" + (dir / "b").string();
  EXPECT_EQ(find_on_path("tool", path), dir / "b" / "tool");
  EXPECT_EQ(find_on_path("folder", path), std::nullopt);  // a folder is not a command
  EXPECT_EQ(find_on_path("missing", path), std::nullopt);
  EXPECT_EQ(find_on_path("", path), std::nullopt);
  // With a '/', PATH is not searched.
  EXPECT_EQ(find_on_path((dir / "b" / "tool").string(), ""), dir / "b" / "tool");
  EXPECT_EQ(find_on_path((dir / "a" / "tool").string(), path), std::nullopt);
  EXPECT_EQ(find_on_path("sh", "/nonexistent:/bin"), std::filesystem::path("/bin/sh"));
}

TEST(DescribeExit, SaysHowAProcessEnded) {
  EXPECT_EQ(describe_exit(3 << 8), "exited with code 3");
  EXPECT_EQ(describe_exit(SIGKILL), "was killed by signal 9 (Killed)");
}

TEST(ChildProcess, RunsInItsOwnGroupAndIsKilledWithIt) {
  SpawnOptions options;
  options.argv = {"sh", "-c", "sleep 30 & echo $$ $(ps -o pgid= -p $$); wait"};
  options.in = SpawnOptions::Stream::null;
  ChildProcess child(options);
  char buffer[64] = {};
  ssize_t n = ::read(child.stdout_pipe().get(), buffer, sizeof buffer - 1);
  ASSERT_GT(n, 0);
  int pid = 0, pgid = 0;
  ASSERT_EQ(std::sscanf(buffer, "%d %d", &pid, &pgid), 2);
  EXPECT_EQ(pid, child.pid());
  EXPECT_EQ(pgid, child.pid());
  int status = child.terminate(std::chrono::milliseconds(2000));
  EXPECT_TRUE(WIFSIGNALED(status));
  // The orphaned sleep is a zombie until init reaps it (here: within ~1.5 s).
  for (int i = 0; i < 500 && ::kill(-pgid, 0) == 0; ++i) ::usleep(10000);
  EXPECT_NE(::kill(-pgid, 0), 0) << "something of the group survived";
}

TEST(ChildProcess, EnvironmentAndFolder) {
  TempDir dir;
  SpawnOptions options;
  options.argv = {"sh", "-c", "echo \"$CC_MCP_TEST_VALUE $(pwd)\""};
  options.environment = {{"CC_MCP_TEST_VALUE", "v=1"}};
  options.cwd = dir.path();
  options.in = SpawnOptions::Stream::null;
  ChildProcess child(options);
  std::string out;
  char buffer[256];
  for (ssize_t n; (n = ::read(child.stdout_pipe().get(), buffer, sizeof buffer)) > 0;)
    out.append(buffer, static_cast<size_t>(n));
  EXPECT_EQ(out, "v=1 " + dir.path().string() + "\n");
  EXPECT_EQ(child.wait(), 0);
}

TEST(ChildProcess, AMissingCommandIsNotFound) {
  SpawnOptions options;
  options.argv = {"/nonexistent/server"};
  try {
    ChildProcess child(options);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.message(),
              "command \"/nonexistent/server\": does not exist or is not executable (check the "
              "path)");
  }
}

TEST(WriteAll, AClosedReaderIsAnErrorNotADeath) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::close(fds[0]);
  EXPECT_FALSE(write_all(fds[1], "hello"));
  EXPECT_EQ(errno, EPIPE);
  ::close(fds[1]);
  sigset_t pending;
  sigpending(&pending);
  EXPECT_FALSE(sigismember(&pending, SIGPIPE));
}

}  // namespace
}  // namespace ccmcp
