#include "runtime/lifecycle.h"

#include "docker/containers.h"
#include "runtime/health.h"

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
std::optional<std::string> trouble(docker::Engine& engine, net::HttpClient& http,
                                   const std::string& id, int restarts_before, int port) {
  auto inspect = docker::inspect_container(engine, id);
  if (!inspect) return "its container was removed while it started";
  const docker::Json& state = (*inspect)["State"];
  std::string status = state.value("Status", "");
  int restarts = inspect->value("RestartCount", 0);
  int code = state.value("ExitCode", 0);
  if (status == "restarting" || restarts > restarts_before)
    return "the container exited with code " + std::to_string(code) +
           " and Docker keeps restarting it (" + std::to_string(restarts) + " restarts so far)";
  if (status != "running" && status != "created")
    return "the container " + status +
           (status == "exited" ? " with code " + std::to_string(code) : std::string());
  if (healthz_status(http, port, std::chrono::seconds(1)) == 503)
    return "the bridge says the server's command fails at start-up";
  return std::nullopt;
}

}  // namespace

StartReport start_docker_server(docker::Engine& engine, net::HttpClient& http, StateStore& state,
                                const config::Server& server, const ImageRef& image,
                                const StartOptions& options) {
  auto began = std::chrono::steady_clock::now();
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
  StartReport report;
  report.port = state.ensure_port(server.name);
  report.url = server_url(report.port);
  ContainerSpec spec = make_container_spec(server, image, report.port);
  UpResult up = bring_up(engine, server.name, spec, report.port, state.file().string());
  report.outcome = up.outcome;
  report.container_id = up.id;
  if (up.outcome == UpOutcome::already_running) return report;

  int restarts_before = 0;
  if (auto inspect = docker::inspect_container(engine, up.id))
    restarts_before = inspect->value("RestartCount", 0);
  ProbeResult probe = wait_until_serving(http, report.url, options.timeout, [&] {
    return trouble(engine, http, up.id, restarts_before, report.port);
  });
  if (!probe.ok) {
    Error error(ErrorKind::runtime, quote(server.name),
                "did not answer MCP initialize at " + report.url + ": " + probe.problem,
                "its container " + spec.name + " was left for you to look at: cc-mcp logs " +
                    server.name + "; cc-mcp rm " + server.name + " removes it");
    throw StartFailed(error, log_tail(engine, up.id, 20));
  }
  report.took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - began);
  return report;
}

}  // namespace ccmcp::runtime
