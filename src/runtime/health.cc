#include "runtime/health.h"

#include <thread>

namespace ccmcp::runtime {

using Clock = std::chrono::steady_clock;

BridgeAddress BridgeAddress::tcp(int port) {
  return {"http://127.0.0.1:" + std::to_string(port), {}};
}

BridgeAddress BridgeAddress::unix_socket_at(std::string path) {
  return {"http://localhost", std::move(path)};
}

std::string BridgeAddress::describe() const {
  if (!unix_socket.empty()) return "socket " + unix_socket;
  auto colon = base_url.rfind(':');
  return "port " + (colon == std::string::npos ? base_url : base_url.substr(colon + 1));
}

std::optional<int> healthz_status(net::HttpClient& http, const BridgeAddress& address,
                                  std::chrono::milliseconds timeout) {
  net::HttpRequest request;
  request.url = address.base_url + "/healthz";
  request.unix_socket = address.unix_socket;
  request.timeout = timeout;
  request.connect_timeout = timeout;
  try {
    return http.send(request).status;
  } catch (const net::HttpError&) {
    return std::nullopt;
  }
}

std::optional<std::string> wait_for_bridge(
    net::HttpClient& http, const BridgeAddress& address, std::chrono::milliseconds timeout,
    const std::function<std::optional<std::string>(std::optional<int> healthz)>& trouble) {
  auto deadline = Clock::now() + timeout;
  std::optional<int> status;
  while (true) {
    status = healthz_status(http, address, std::chrono::seconds(2));
    // 503: the bridge cannot start the server's command; 502: a gateway
    // whose server's bridge does not answer (yet).
    if (status && *status != 503 && *status != 502) return std::nullopt;
    if (auto problem = trouble(status)) return problem;
    if (Clock::now() >= deadline) break;
    // Short first pauses: a bridge is up in tens of milliseconds.
    std::this_thread::sleep_for(std::chrono::milliseconds(status ? 100 : 25));
  }
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout).count();
  return status ? "its bridge still answered /healthz with " + std::to_string(*status) + " after " +
                      std::to_string(seconds) + "s"
                : "nothing answered on " + address.describe() + " within " +
                      std::to_string(seconds) + "s";
}

}  // namespace ccmcp::runtime
