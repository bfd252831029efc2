// Starting a docker-mode server the whole way: its port (kept in state),
// its container (created, recreated or started per the config hash), then
// waiting until it answers MCP initialize through its URL. A server that
// does not answer is a StartFailed carrying the last lines of its log; its
// container is left for the user to look at.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "config/model.h"
#include "docker/engine.h"
#include "net/http_client.h"
#include "runtime/container_spec.h"
#include "runtime/containers.h"
#include "runtime/state.h"

namespace ccmcp::runtime {

struct StartOptions {
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
  bool force = false;  // mount refused volumes anyway
};

struct StartReport {
  UpOutcome outcome = UpOutcome::created;
  int port = 0;
  std::string url;
  std::string container_id;
  size_t tools = 0;  // what tools/list gave, when it was started now
  std::chrono::milliseconds took{0};
};

class StartFailed : public Error {
 public:
  StartFailed(const Error& error, std::vector<std::string> log_tail)
      : Error(error), log_tail_(std::move(log_tail)) {}
  const std::vector<std::string>& log_tail() const { return log_tail_; }

 private:
  std::vector<std::string> log_tail_;
};

// What start refuses before it builds or changes anything: a missing or
// refused volume (unless forced), a foreign container of that name.
void check_before_start(docker::Engine& engine, const config::Server& server,
                        const StartOptions& options);

StartReport start_docker_server(docker::Engine& engine, net::HttpClient& http, StateStore& state,
                                const config::Server& server, const ImageRef& image,
                                const std::vector<std::string>& args, const StartOptions& options);

// External mode: the supervised bridge on the host (runtime/external.h),
// then the same MCP probe through its URL. The outcome is created, started
// (it ran with another spec and was replaced: recreated) or already_running.
StartReport start_external_server(const config::Config& config, const config::Server& server,
                                  StateStore& state, const StartOptions& options);

// The last `lines` lines of the container's log (stdout and stderr).
std::vector<std::string> log_tail(docker::Engine& engine, const std::string& container,
                                  size_t lines);

// The image's version as its labels tell it ("dev.cc-mcp.version", else
// "org.opencontainers.image.version"), or "".
std::string image_version(const docker::Json& image_inspect);

// The server's container and its gateway (the gateway first: no new client
// reaches a server that is stopping). False when neither was running.
bool stop_docker_server(docker::Engine& engine, const config::Server& server,
                        std::chrono::seconds grace = kStopGrace);

// The container, its gateway and its network. False when there was no container.
bool remove_docker_server(docker::Engine& engine, const config::Server& server,
                          std::chrono::seconds grace = kStopGrace);

}  // namespace ccmcp::runtime
