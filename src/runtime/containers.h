// A server's container, found by its name and touched only when it carries
// cc-mcp's label: brought up (created, recreated when its config hash
// changed, started), stopped and removed.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "docker/engine.h"
#include "runtime/container_spec.h"

namespace ccmcp::runtime {

inline constexpr std::chrono::seconds kStopGrace{10};

// The container named `container` as the engine inspects it, or nullopt
// when there is none. A container of that name that cc-mcp did not create
// (no dev.cc-mcp.managed=true label, or another server's name) throws
// Error (conflict) and is left untouched.
std::optional<docker::Json> find_managed(docker::Engine& engine, const std::string& container,
                                         const std::string& server);

enum class UpOutcome { created, recreated, started, already_running };
const char* to_string(UpOutcome outcome);

struct UpResult {
  UpOutcome outcome;
  std::string id;
};

// Makes the container of `spec` run: leaves an unchanged running one alone,
// starts an unchanged stopped one, replaces a changed one, creates a
// missing one. Refuses a port that another process holds (Error conflict
// naming the port; 0: the container publishes none). `state_file` is named
// in that message.
UpResult bring_up(docker::Engine& engine, const std::string& server, const ContainerSpec& spec,
                  int port, const std::string& state_file);

// Stops the container; false when there was none or it was not running.
bool stop_managed(docker::Engine& engine, const std::string& container, const std::string& server,
                  std::chrono::seconds grace = kStopGrace);

// Stops and removes the container; false when there was none.
bool remove_managed(docker::Engine& engine, const std::string& container, const std::string& server,
                    std::chrono::seconds grace = kStopGrace);

// "running", "restarting", "exited", ... of an inspect answer.
std::string state_of(const docker::Json& inspect);

// The Error for a port another process holds.
Error port_taken(const std::string& server, int port, const std::string& state_file);

}  // namespace ccmcp::runtime
