// A command run inside a running container (POST /containers/{id}/exec,
// then /exec/{id}/start without a TTY, then its exit code from
// /exec/{id}/json): what the tester uses for a package's own connection
// test, which must run where the server runs, never on the host.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "docker/engine.h"

namespace ccmcp::docker {

struct ExecRequest {
  std::vector<std::string> argv;  // no shell
  std::vector<std::string> env;   // "KEY=VALUE"
  std::string user;               // "1001:1001"; empty: the container's
  std::string working_dir;        // empty: the container's
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
};

struct ExecResult {
  std::optional<int> exit_code;  // nullopt: still running when the time ran out
  std::string output;            // stdout and stderr, interleaved as they came, capped
  bool timed_out = false;
};

// Throws Error (kind engine) when the engine refuses it (e.g. the
// container is not running); a command that cannot be started is an exit
// code of 126 or 127, as the engine reports it.
ExecResult exec_in_container(Engine& engine, const std::string& container,
                             const ExecRequest& request);

}  // namespace ccmcp::docker
