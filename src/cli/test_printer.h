// How `cc-mcp test` speaks to people: the seed's lines, one per check as it
// ends ("✓ Connection test passed (...)", "✗ Query test failed: ..."), the
// three parts of the security scan gathered under one "Security scan" line,
// the findings of a check that did not pass, and a closing line per server.
#pragma once

#include <vector>

#include "cli/output.h"
#include "testing/tester.h"

namespace ccmcp::cli {

class TestPrinter : public tester::TestListener {
 public:
  explicit TestPrinter(Output& out) : out_(out) {}

  void started(const tester::TestTarget& target) override;
  void check_done(const tester::CheckResult& check) override;
  // The security summary and the closing line.
  void finished(const tester::TestReport& report);

 private:
  void print_check(const tester::CheckResult& check, const std::string& indent);

  Output& out_;
  std::vector<tester::CheckResult> security_;
};

// Is this check a part of the security scan?
bool is_security_check(const std::string& id);

}  // namespace ccmcp::cli
