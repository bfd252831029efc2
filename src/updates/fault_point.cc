#include "updates/fault_point.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <unistd.h>

namespace ccmcp::updates {

void fault_point(const char* step) {
  const char* wanted = std::getenv("CC_MCP_UPDATE_FAULT");
  if (!wanted || std::strcmp(wanted, step) != 0) return;
  std::fprintf(stderr, "cc-mcp: paused at %s (CC_MCP_UPDATE_FAULT), pid %d\n", step,
               static_cast<int>(getpid()));
  std::fflush(stderr);
  std::raise(SIGSTOP);
}

}  // namespace ccmcp::updates
