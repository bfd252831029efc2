#include "util/process.h"

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
