// cc-mcp: run MCP servers in hardened Docker containers. Everything lives in
// the library; main only hands over the command line.
#include <cstring>

#include "cli/command.h"
#include "runtime/external.h"
#include "updates/guard.h"

int main(int argc, char** argv) {
  // The supervisor of an external server (see runtime/external.h): cc-mcp
  // starts itself again with this hidden argument, which must be seen
  // before anything else runs, while the process has one thread.
  if (argc == 3 && std::strcmp(argv[1], ccmcp::runtime::external::kSupervisorArgument) == 0)
    return ccmcp::runtime::external::supervisor_main(argv[2]);
  // The guard of an update's container replacement (updates/guard.h).
  if (argc == 3 && std::strcmp(argv[1], ccmcp::updates::kGuardArgument) == 0)
    return ccmcp::updates::guard_main(argv[2]);
  return ccmcp::cli::run_cli(argc, argv);
}
