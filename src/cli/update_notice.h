// The update notice after a command (updates/notice.h): on stderr, only for
// people: not with --json or -q, not when stderr is not a terminal unless
// CC_MCP_NOTICE=1 (CC_MCP_NOTICE=0 turns it off everywhere). It reads the
// state alone and may start the detached background check; it never fails
// the command.
#pragma once

#include "cli/output.h"

namespace ccmcp::cli {

void print_update_notice(const GlobalOptions& options);

}  // namespace ccmcp::cli
