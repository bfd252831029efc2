#include "runtime/containers.h"

#include "docker/containers.h"
#include "net/tcp_probe.h"
#include "runtime/state.h"

namespace ccmcp::runtime {

const char* to_string(UpOutcome outcome) {
  switch (outcome) {
    case UpOutcome::created:
      return "created";
    case UpOutcome::recreated:
      return "recreated";
    case UpOutcome::started:
      return "started";
    case UpOutcome::already_running:
      return "already running";
  }
  return "";
}

std::string state_of(const docker::Json& inspect) {
  if (inspect.contains("State") && inspect["State"].is_object())
    return inspect["State"].value("Status", "");
  return inspect.value("State", "");  // a list entry
}

std::optional<docker::Json> find_managed(docker::Engine& engine, const std::string& container,
                                         const std::string& server) {
  auto found = docker::inspect_container(engine, container);
  if (!found) return std::nullopt;
  auto labels = docker::labels_of(*found);
  auto managed = labels.find(kLabelManaged);
  auto name = labels.find(kLabelName);
  if (managed == labels.end() || managed->second != "true")
    throw Error(ErrorKind::conflict, quote(server),
                "a container named " + quote(container) +
                    " exists that cc-mcp did not create; it was left alone",
                "rename or remove it yourself (docker rm " + container +
                    "), or rename the server in mcp.json");
  if (name == labels.end() || name->second != server)
    throw Error(ErrorKind::conflict, quote(server),
                "the container " + quote(container) + " belongs to the server " +
                    quote(name == labels.end() ? "" : name->second) + "; it was left alone",
                "docker rm -f " + container + " if it is no longer wanted");
  return found;
}

Error port_taken(const std::string& server, int port, const std::string& state_file) {
  std::string p = std::to_string(port);
  return Error(ErrorKind::conflict, quote(server),
               "port " + p + " on 127.0.0.1 is taken by another process",
               "stop what listens there (ss -ltnp 'sport = :" + p +
                   "' shows it), or delete the server's \"port\" in " + state_file +
                   " so that cc-mcp picks another");
}

namespace {

bool is_port_failure(const Error& error) {
  const std::string& text = error.problem();
  return text.find("address already in use") != std::string::npos ||
         text.find("port is already allocated") != std::string::npos;
}

std::string create_and_start(docker::Engine& engine, const std::string& server,
                             const ContainerSpec& spec, int port, const std::string& state_file,
                             std::optional<std::string> id) {
  // (Not port_is_free: a port in TIME_WAIT after our own container or
  // gateway stopped is ours to take again, and Docker binds it so.)
  if (port > 0 && net::loopback_port_answers(port)) throw port_taken(server, port, state_file);
  if (!id) id = docker::create_container(engine, spec.name, spec.body);
  try {
    docker::start_container(engine, *id);
  } catch (const Error& error) {
    if (is_port_failure(error)) throw port_taken(server, port, state_file);
    throw;
  }
  return *id;
}

}  // namespace

UpResult bring_up(docker::Engine& engine, const std::string& server, const ContainerSpec& spec,
                  int port, const std::string& state_file) {
  auto existing = find_managed(engine, spec.name, server);
  if (!existing)
    return {UpOutcome::created, create_and_start(engine, server, spec, port, state_file, {})};
  std::string id = existing->value("Id", spec.name);
  auto labels = docker::labels_of(*existing);
  if (labels[kLabelConfigHash] != spec.config_hash) {
    docker::remove_container(engine, id, true);
    return {UpOutcome::recreated, create_and_start(engine, server, spec, port, state_file, {})};
  }
  std::string state = state_of(*existing);
  if (state == "running" || state == "restarting") return {UpOutcome::already_running, id};
  return {UpOutcome::started, create_and_start(engine, server, spec, port, state_file, id)};
}

bool stop_managed(docker::Engine& engine, const std::string& container, const std::string& server,
                  std::chrono::seconds grace) {
  auto existing = find_managed(engine, container, server);
  if (!existing) return false;
  std::string state = state_of(*existing);
  if (state != "running" && state != "restarting" && state != "paused") return false;
  docker::stop_container(engine, existing->value("Id", container), grace);
  return true;
}

bool remove_managed(docker::Engine& engine, const std::string& container, const std::string& server,
                    std::chrono::seconds grace) {
  auto existing = find_managed(engine, container, server);
  if (!existing) return false;
  std::string id = existing->value("Id", container);
  std::string state = state_of(*existing);
  if (state == "running" || state == "restarting") docker::stop_container(engine, id, grace);
  docker::remove_container(engine, id, true);
  return true;
}

}  // namespace ccmcp::runtime
