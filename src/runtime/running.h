// Which servers run now, and where: what `cc-mcp client` writes into the
// clients' configs, and what status and connect can start from.
//   docker mode: a running container labelled dev.cc-mcp.managed=true and
//                dev.cc-mcp.name=NAME (one engine call for all of them)
//   external mode: a live supervisor (runtime/external.h)
// The port is the one of the state; for a container without one there,
// the port it publishes for 3000 on 127.0.0.1.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "config/home.h"
#include "config/model.h"
#include "docker/engine.h"

namespace ccmcp::runtime {

struct RunningServer {
  std::string name;
  config::Mode mode = config::Mode::docker;
  int port = 0;              // 0 when unknown (a container that publishes nothing)
  std::string url;           // server_url(port); empty when the port is unknown
  std::string container_id;  // docker mode
  pid_t pid = 0;             // external mode: the supervisor
};

// The servers of `config` that run now (enabled or not: what runs, serves),
// in the order of mcp.json. Asks the engine only when `config` has docker
// servers; throws its Error when it cannot be reached.
std::vector<RunningServer> running_servers(docker::Engine& engine, const config::Config& config,
                                           const config::Home& home);

}  // namespace ccmcp::runtime
