#include "util/process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "test_util.h"
#include "util/error.h"

namespace ccmcp {
namespace {

TEST(RunProcess, CollectsOutputAndExitCode) {
  ProcessResult result = run_process({"sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.out, "out\n");
  EXPECT_EQ(result.err, "err\n");
  EXPECT_TRUE(run_process({"true"}).ok());
}

TEST(RunProcess, RunsInTheFolderWithTheEnvironmentGiven) {
  testing::TempDir dir;
  ProcessOptions options = process_options(std::chrono::seconds(10), dir.path());
  options.env = {{"CC_MCP_PROCESS_TEST", "yes"}};
  ProcessResult result = run_process({"sh", "-c", "pwd; echo $CC_MCP_PROCESS_TEST"}, options);
  EXPECT_EQ(result.out, dir.path().string() + "\nyes\n");
}

TEST(RunProcess, ATimeOutKillsTheWholeGroup) {
  auto start = std::chrono::steady_clock::now();
  // The grandchild holds the pipes open: only a group kill ends the wait.
  ProcessResult result = run_process({"sh", "-c", "sleep 30 & sleep 30"},
                                     process_options(std::chrono::milliseconds(300)));
  EXPECT_TRUE(result.timed_out);
  EXPECT_FALSE(result.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(RunProcess, KillingUsEndsTheChildsGroup) {
  testing::TempDir dir;
  std::filesystem::path pid_file = dir / "pid";
  pid_t us = ::fork();
  ASSERT_GE(us, 0);
  if (us == 0) {  // a cc-mcp waiting for a host tool
    run_process({"sh", "-c",
                 "echo $$ > " + pid_file.string() + ".tmp && mv " + pid_file.string() + ".tmp " +
                     pid_file.string() + "; sleep 30"});
    ::_exit(0);
  }
  for (int i = 0; i < 500 && !std::filesystem::exists(pid_file); ++i) ::usleep(10000);
  pid_t child = std::stoi(testing::read_file(pid_file));
  ::kill(us, SIGTERM);
  int status = 0;
  ::waitpid(us, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i, ::usleep(10000))
    gone = ::kill(child, 0) != 0 || [&] {
      // A zombie (its parent, sh, not yet reaped by init) counts as gone.
      std::string stat = testing::read_file("/proc/" + std::to_string(child) + "/stat");
      return stat.find(") Z ") != std::string::npos;
    }();
  EXPECT_TRUE(gone);
}

TEST(RunProcess, AMissingProgramIsAnError) {
  EXPECT_THROW(run_process({"cc-mcp-no-such-program"}), Error);
  EXPECT_FALSE(program_exists("cc-mcp-no-such-program"));
  EXPECT_TRUE(program_exists("sh"));
}

TEST(RunProcess, LastLines) {
  EXPECT_EQ(last_lines("a\n\nb\r\nc  \n", 2), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(last_lines("", 3), std::vector<std::string>{});
}

}  // namespace
}  // namespace ccmcp
