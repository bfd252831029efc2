// What the runtime commands (start, stop, restart, rm, status, logs) share:
// picking the servers a command line names, and the image a server runs.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "cli/command.h"
#include "config/home.h"
#include "docker/engine.h"
#include "runtime/container_spec.h"

namespace ccmcp::cli {

// The servers named (each checked, duplicates dropped, in the order given),
// or with `all` every enabled one. Neither names nor `all`: a usage error
// saying so for `verb`.
std::vector<const config::Server*> pick_servers(const Context& ctx, const config::Config& config,
                                                const std::vector<std::string>& names, bool all,
                                                const std::string& verb);

// For the update commands: the servers named (each must have an update
// source: npm, git or local; a usage error otherwise), or with no names
// every enabled one that has.
std::vector<const config::Server*> servers_with_source(const Context& ctx,
                                                       const config::Config& config,
                                                       const std::vector<std::string>& names,
                                                       const std::string& verb);

// The value of --timeout S (start, restart, test, check-updates): more than 0
// and at most an hour, else a usage error naming it.
std::chrono::milliseconds timeout_option(double seconds);

// The image a docker-mode server runs, as the engine has it.
runtime::ImageRef obtain_image(const Context& ctx, docker::Engine& engine,
                               const config::Config& config, const config::Server& server,
                               const config::Home& home);

}  // namespace ccmcp::cli
