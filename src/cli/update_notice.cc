#include "cli/update_notice.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "config/home.h"
#include "runtime/state.h"
#include "updates/notice.h"
#include "updates/policy.h"

namespace ccmcp::cli {

void print_update_notice(const GlobalOptions& options) {
  const char* wanted = std::getenv("CC_MCP_NOTICE");
  std::string setting = wanted ? wanted : "";
  if (setting == "0" || options.json || options.quiet) return;
  if (setting != "1" && !isatty(STDERR_FILENO)) return;
  try {
    runtime::StateStore state(config::cc_mcp_home());
    auto clock = updates::clock_from_environment();
    auto now = clock->now();
    updates::NoticeFacts facts = updates::read_notice_facts(state.file(), now);
    std::string text = updates::notice_text(facts);
    if (!text.empty()) {
      std::fputs(text.c_str(), stderr);
      std::fflush(stderr);
    }
    if (facts.background_due) {
      std::string config_file;
      if (options.config_given)
        config_file = std::filesystem::absolute(options.config).lexically_normal().string();
      updates::start_background_check(state, now, config_file);
    }
  } catch (const Error&) {
    // A notice must never turn a command's result into a failure.
  }
}

}  // namespace ccmcp::cli
