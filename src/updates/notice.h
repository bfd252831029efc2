// The update notice of the seed, printed on stderr after a human-facing
// command:
//
//   📦 Updates available for 3 MCPs (filesystem, memory, tools)
//   Run 'cc-mcp update-all' to update
//
// from the check results kept in the state only: no config, no engine, no
// network. When the last background check was started longer than
// kBackgroundSpacing ago, the command starts `cc-mcp check-updates --due -q`
// detached (its own session, no terminal), so that no command ever waits
// for a source to answer.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "runtime/state.h"
#include "updates/clock.h"

namespace ccmcp::updates {

inline constexpr std::chrono::minutes kBackgroundSpacing{15};

struct NoticeFacts {
  std::vector<std::string> available;  // servers with an update available, by name
  bool background_due = false;         // time to start a background check
};

// Pure: from the state's JSON.
NoticeFacts notice_facts(const runtime::Json& state_root, TimePoint now);

// The same from the state file, parsing only what the notice reads (the
// servers' check results and the root "updates"; the tool-set records that
// make up most of the file are skipped): the notice must cost a command
// well under 5 ms (bench/notice). A missing or damaged file gives no facts
// but a due background check.
NoticeFacts read_notice_facts(const std::filesystem::path& state_file, TimePoint now);

// The two lines, or "" when nothing is available.
std::string notice_text(const NoticeFacts& facts);

// Records the start in the state ("updates": {"backgroundCheckAt": ...}),
// then starts `/proc/self/exe [--config FILE] check-updates --due -q`
// detached. False when another process recorded one just now (it runs).
bool start_background_check(runtime::StateStore& state, TimePoint now,
                            const std::string& config_file);

}  // namespace ccmcp::updates
