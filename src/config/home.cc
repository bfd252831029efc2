#include "config/home.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace ccmcp::config {

Home cc_mcp_home() {
  if (const char* env = std::getenv("CC_MCP_HOME"); env && *env)
    return {std::filesystem::absolute(env).lexically_normal()};
  const char* home = std::getenv("HOME");
  if (!home || !*home) {
    const passwd* pw = ::getpwuid(::getuid());
    home = pw ? pw->pw_dir : "/";
  }
  return {std::filesystem::path(home) / ".cc-mcp"};
}

}  // namespace ccmcp::config
