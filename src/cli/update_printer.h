// How update, update-all and rollback speak to people: the steps ("⏳ ..."),
// the build's progress and the tester's lines as `build` and `test` print
// them, what the new version changes in the tools, the question about
// rewritten tools (on a terminal), and one closing line per server.
#pragma once

#include <memory>

#include "cli/build_progress.h"
#include "cli/output.h"
#include "cli/test_printer.h"
#include "updates/update.h"

namespace ccmcp::cli {

class UpdatePrinter : public updates::UpdateListener {
 public:
  explicit UpdatePrinter(Output& out) : out_(out), tests_(out) {}

  void step(const std::string& server, const std::string& text) override;
  images::BuildReporter& build_reporter(const std::string& server) override;
  void build_done(const std::string& server) override;
  tester::TestListener& test_listener() override { return tests_; }
  void test_done(const tester::TestReport& report) override;
  void tools_changed(const std::string& server, const tester::ToolsetDiff& diff,
                     bool known) override;
  bool confirm_tool_changes(const std::string& server, const tester::ToolsetDiff& diff) override;

  // The closing line of one server (nothing with --json).
  void finished(const updates::UpdateResult& result, bool rollback);

 private:
  Output& out_;
  TestPrinter tests_;
  std::unique_ptr<BuildProgressPrinter> build_;
  images::SilentReporter silent_;
};

// The seed's words, printed once at the end when a client must reload.
inline constexpr const char* kRestartInstructions =
    "Please restart Claude Code for changes to take effect. Quit Claude Code and run: claude -r "
    "to resume";

nlohmann::ordered_json to_json(const updates::UpdateResult& result);

}  // namespace ccmcp::cli
