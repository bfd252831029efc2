#include "runtime/lifecycle.h"

#include "config/effective.h"
#include "docker/containers.h"
#include "images/gateway_image.h"
#include "mcp/http_session.h"
#include "net/tcp_probe.h"
#include "runtime/audit_volume.h"
#include "runtime/external.h"
#include "runtime/gateway.h"
#include "runtime/health.h"
#include "runtime/networks.h"
#include "runtime/secret_handoff.h"

namespace ccmcp::runtime {

std::string image_version(const docker::Json& image_inspect) {
  auto labels = docker::labels_of(image_inspect);
  for (const char* key : {kLabelVersion, "org.opencontainers.image.version"})
    if (auto it = labels.find(key); it != labels.end() && !it->second.empty()) return it->second;
  return {};
}

std::vector<std::string> log_tail(docker::Engine& engine, const std::string& container,
                                  size_t lines) {
  std::string text;
  docker::LogOptions options;
  options.tail = std::to_string(lines);
  try {
    docker::stream_logs(engine, container, options,
                        [&](docker::LogStream, std::string_view piece) { text.append(piece); });
  } catch (const Error& error) {
    return {"(its log could not be read: " + error.message() + ")"};
  }
  std::vector<std::string> out;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(at, end - at);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(std::move(line));
    at = end + 1;
  }
  if (out.size() > lines) out.erase(out.begin(), out.end() - static_cast<long>(lines));
  return out;
}

namespace {

// Why the container will not come to serve, or nullopt while it may.
std::optional<std::string> trouble(docker::Engine& engine, const std::string& id,
                                   int restarts_before, std::optional<int> healthz) {
  auto inspect = docker::inspect_container(engine, id);
  if (!inspect) return "its container was removed while it started";
  const docker::Json& state = (*inspect)["State"];
  std::string status = state.value("Status", "");
  int restarts = inspect->value("RestartCount", 0);
  int code = state.value("ExitCode", 0);
  std::string count = " (" + std::to_string(restarts) + " restarts so far)";
  if (status == "restarting")
    return "the container exited with code " + std::to_string(code) +
           " and Docker keeps restarting it" + count;
  if (restarts > restarts_before) return "the container exited and Docker restarted it" + count;
  if (status != "running" && status != "created")
    return "the container " + status +
           (status == "exited" ? " with code " + std::to_string(code) : std::string());
  if (healthz == 503) return "its bridge says the server's command cannot start (/healthz: 503)";
  return std::nullopt;
}

}  // namespace

namespace {

// One MCP session through the URL (initialize, tools/list, ping); the tool
// count, or the Error that says why not.
size_t probe_until(const std::string& url, std::chrono::steady_clock::time_point deadline) {
  mcp::ProbeOptions probe;
  probe.timeout = std::max(std::chrono::milliseconds(1000),
                           std::chrono::duration_cast<std::chrono::milliseconds>(
                               deadline - std::chrono::steady_clock::now()));
  probe.subject = url;
  return mcp::probe(url, probe).tools.size();
}

// Why the gateway does not serve, or nullopt while it may.
std::optional<std::string> gateway_trouble(docker::Engine& engine, const std::string& id) {
  auto inspect = docker::inspect_container(engine, id);
  if (!inspect) return "its gateway container was removed while it started";
  std::string status = state_of(*inspect);
  if (status == "running" || status == "created") return std::nullopt;
  int code = (*inspect)["State"].value("ExitCode", 0);
  auto last = log_tail(engine, id, 1);
  return "its gateway container " + inspect->value("Name", id).substr(1) + " " + status +
         (status == "exited" ? " with code " + std::to_string(code) : std::string()) + ": " +
         (last.empty() ? std::string("no log") : last.back());
}

// The container's address on `network` ("" when it has none there).
std::string address_on(docker::Engine& engine, const std::string& id, const std::string& network) {
  auto inspect = docker::inspect_container(engine, id);
  if (!inspect || !inspect->contains("NetworkSettings")) return {};
  auto networks = (*inspect)["NetworkSettings"].value("Networks", docker::Json::object());
  if (!networks.contains(network)) return {};
  return networks[network].value("IPAddress", "");
}

struct NetworkedUp {
  UpOutcome outcome;
  std::string id;          // the server's container
  std::string gateway_id;  // empty: none ("network": "full")
};

// The server's network, its container, and its gateway when it has one;
// the outcome is the gateway's when only the gateway changed (an edited
// allow-list), so that the caller waits for it as for a new container.
NetworkedUp bring_up_networked(docker::Engine& engine, const config::Server& server,
                               const ImageRef& image, const std::vector<std::string>& args,
                               int port, StateStore& state, const SecretHandoff* secrets) {
  std::string state_file = state.file().string();
  bool behind_gateway = needs_gateway(server);
  // The port is checked before anything is made (its publisher is made
  // last); one held by this server's own container or gateway is released
  // as they are replaced.
  std::string container = config::container_name_of(server);
  bool ours = false;
  std::optional<docker::Json> existing;
  for (const std::string& name : {container, gateway_name_of(server.name)})
    if (auto found = find_managed(engine, name, server.name)) {
      ours |= state_of(*found) == "running" || state_of(*found) == "restarting";
      if (name == container) existing = found;
    }
  if (!ours && net::loopback_port_answers(port)) throw port_taken(server.name, port, state_file);
  ensure_server_network(engine, server);
  if (!behind_gateway) {
    // Now publishing its own port: the old gateway holds it.
    remove_gateway(engine, server.name, std::chrono::seconds(2));
    UpResult up =
        bring_up(engine, server.name, make_container_spec(server, image, args, port, {}, secrets),
                 port, state_file);
    return {up.outcome, up.id, {}};
  }
  // The gateway first: the server's /etc/hosts needs its address. A
  // container that published the port itself ("full" before) makes way.
  if (existing && existing->contains("HostConfig") &&
      !(*existing)["HostConfig"].value("PortBindings", docker::Json::object()).empty())
    remove_managed(engine, container, server.name, std::chrono::seconds(2));
  ensure_edge_network(engine);
  ContainerSpec gateway_spec =
      make_gateway_spec(server, images::ensure_gateway_image(engine), port);
  UpResult front = bring_up_gateway(engine, server, gateway_spec, port, state_file);
  std::string egress_ip = address_on(engine, front.id, network_name_of(server.name));
  UpResult up =
      bring_up(engine, server.name,
               make_container_spec(server, image, args, port, egress_ip, secrets), 0, state_file);
  NetworkedUp out{up.outcome, up.id, front.id};
  if (out.outcome == UpOutcome::already_running) out.outcome = front.outcome;
  return out;
}

}  // namespace

StartReport start_external_server(const config::Config& config, const config::Server& server,
                                  StateStore& state, const StartOptions& options) {
  auto began = std::chrono::steady_clock::now();
  external::Started started = external::start(config, server, state);
  StartReport report;
  report.port = started.port;
  report.url = started.url;
  report.outcome = started.already_running ? UpOutcome::already_running
                   : started.replaced      ? UpOutcome::recreated
                                           : UpOutcome::created;
  if (started.already_running) return report;
  try {
    report.tools = probe_until(report.url, began + options.timeout);
  } catch (const Error& error) {
    std::vector<std::string> tail;
    LogQuery query;
    query.tail = 20;
    for (const auto& line : external::read_log(state.home(), server.name, query))
      tail.push_back(line.format(false));
    Error failed(ErrorKind::runtime, quote(server.name),
                 "did not answer MCP initialize at " + report.url + ": " + error.problem(),
                 "it still runs under its supervisor (pid " + std::to_string(started.pid) +
                     "): cc-mcp logs " + server.name + "; cc-mcp stop " + server.name + " ends it");
    throw StartFailed(failed, tail);
  }
  report.took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - began);
  return report;
}

void check_before_start(docker::Engine& engine, const config::Server& server,
                        const StartOptions& options) {
  for (const auto& volume : server.volumes) {
    std::error_code ec;
    // The engine would make a missing one, owned by root: not what was meant.
    if (!std::filesystem::exists(volume.host, ec))
      throw Error(ErrorKind::config, quote(server.name),
                  "the volume's host path " + quote(volume.host.string()) + " does not exist",
                  "create it, or fix \"volumes\" in mcp.json");
  }
  std::vector<std::filesystem::path> sockets = {"/var/run/docker.sock", "/run/docker.sock"};
  if (!engine.endpoint().socket_path.empty()) sockets.push_back(engine.endpoint().socket_path);
  check_volumes(server, user_home_dir(), sockets, options.force);
  // A container of that name that is not ours: refused before any build.
  find_managed(engine, config::container_name_of(server), server.name);
}

StartReport start_docker_server(docker::Engine& engine, net::HttpClient& http, StateStore& state,
                                const config::Server& server, const ImageRef& image,
                                const std::vector<std::string>& args, const StartOptions& options) {
  auto began = std::chrono::steady_clock::now();
  check_before_start(engine, server, options);
  check_bridge_takes_secrets(engine, server, image);
  std::optional<SecretHandoff> secrets = hand_off_secrets(state.home(), server);
  StartReport report;
  report.port = state.ensure_port(server.name);
  report.url = server_url(report.port);
  NetworkedUp up = bring_up_networked(engine, with_audit_volume(server, state.home()), image, args,
                                      report.port, state, secrets ? &*secrets : nullptr);
  report.outcome = up.outcome;
  report.container_id = up.id;
  if (up.outcome == UpOutcome::already_running) return report;

  int restarts_before = 0;
  if (auto inspect = docker::inspect_container(engine, up.id))
    restarts_before = inspect->value("RestartCount", 0);
  auto fail = [&](const std::string& problem) {
    Error error(ErrorKind::runtime, quote(server.name),
                "did not answer MCP initialize at " + report.url + ": " + problem,
                "its container " + config::container_name_of(server) +
                    " was left for you to look at: cc-mcp logs " + server.name + "; cc-mcp rm " +
                    server.name + " removes it");
    return StartFailed(error, log_tail(engine, up.id, 20));
  };
  // First the bridge (cheap to poll, and the container's state beside it),
  // then one real MCP session: initialize, tools/list, ping.
  auto deadline = std::chrono::steady_clock::now() + options.timeout;
  if (auto problem = wait_for_bridge(
          http, BridgeAddress::tcp(report.port), options.timeout, [&](auto healthz) {
            if (auto why = trouble(engine, up.id, restarts_before, healthz)) return why;
            return up.gateway_id.empty() ? std::nullopt : gateway_trouble(engine, up.gateway_id);
          }))
    throw fail(*problem);
  try {
    report.tools = probe_until(report.url, deadline);
  } catch (const Error& error) {
    throw fail(error.problem());
  }
  report.took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - began);
  return report;
}

bool stop_docker_server(docker::Engine& engine, const config::Server& server,
                        std::chrono::seconds grace) {
  bool gateway = stop_gateway(engine, server.name, grace);
  bool container = stop_managed(engine, config::container_name_of(server), server.name, grace);
  return gateway || container;
}

bool remove_docker_server(docker::Engine& engine, const config::Server& server,
                          std::chrono::seconds grace) {
  remove_gateway(engine, server.name, grace);
  bool container = remove_managed(engine, config::container_name_of(server), server.name, grace);
  remove_server_network(engine, server.name);
  return container;
}

}  // namespace ccmcp::runtime
