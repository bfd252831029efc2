#include "runtime/health.h"

#include <thread>

namespace ccmcp::runtime {

using Clock = std::chrono::steady_clock;

std::optional<int> healthz_status(net::HttpClient& http, int port,
                                  std::chrono::milliseconds timeout) {
  net::HttpRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(port) + "/healthz";
  request.timeout = timeout;
  request.connect_timeout = timeout;
  try {
    return http.send(request).status;
  } catch (const net::HttpError&) {
    return std::nullopt;
  }
}

std::optional<std::string> wait_for_bridge(
    net::HttpClient& http, int port, std::chrono::milliseconds timeout,
    const std::function<std::optional<std::string>(std::optional<int> healthz)>& trouble) {
  auto deadline = Clock::now() + timeout;
  std::optional<int> status;
  while (true) {
    status = healthz_status(http, port, std::chrono::seconds(2));
    if (status && *status != 503) return std::nullopt;
    if (auto problem = trouble(status)) return problem;
    if (Clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout).count();
  return status ? "its bridge still answered /healthz with " + std::to_string(*status) + " after " +
                      std::to_string(seconds) + "s"
                : "nothing answered on port " + std::to_string(port) + " within " +
                      std::to_string(seconds) + "s";
}

}  // namespace ccmcp::runtime
