// Test hook for the kill tests of updates: with CC_MCP_UPDATE_FAULT=STEP in
// the environment, the update stops itself (SIGSTOP) when it reaches STEP,
// after saying so on stderr, so that a test can SIGKILL it at exactly that
// point instead of racing a timer. Steps: "build", "test", "replace" (the
// journal is written), "stopped" (the previous container is stopped and
// renamed), "started" (the new container answered; not yet made current).
#pragma once

namespace ccmcp::updates {

void fault_point(const char* step);

}  // namespace ccmcp::updates
