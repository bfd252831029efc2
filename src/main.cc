// cc-mcp: run MCP servers in hardened Docker containers. Everything lives in
// the library; main only hands over the command line.
#include "cli/command.h"

int main(int argc, char** argv) {
  return ccmcp::cli::run_cli(argc, argv);
}
