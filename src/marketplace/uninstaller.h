// uninstall: a server leaves mcp.json and this machine. Its container (or
// supervised process) is stopped and removed first, then its entry is cut
// from mcp.json in one locked, comment-keeping change; a failure of the
// first leaves mcp.json as it was. With `purge`, its images (every
// cc-mcp/NAME tag cc-mcp built for it), its source clone and what the state
// knows of it (port, tests, history) go too. Volumes never: they are the
// user's files.
#pragma once

#include <string>
#include <vector>

#include "config/load.h"
#include "config/model.h"
#include "docker/engine.h"
#include "runtime/state.h"

namespace ccmcp::marketplace {

struct UninstallResult {
  std::string name;
  bool container_removed = false;           // docker mode: mcp-NAME was there
  bool process_stopped = false;             // external mode: its supervisor ran
  std::vector<std::string> images_removed;  // references (or ids of untagged ones)
  bool clone_removed = false;
  bool state_forgotten = false;
  size_t secrets_removed = 0;             // --purge: its secrets in the store
  std::vector<std::string> volumes_kept;  // host paths, for the user to remove
};

// `engine` may be null for an external-mode server without purge.
UninstallResult uninstall_server(docker::Engine* engine, runtime::StateStore& state,
                                 const config::ConfigLocation& location,
                                 const config::Server& server, bool purge);

}  // namespace ccmcp::marketplace
