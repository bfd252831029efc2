#include "docker/endpoint.h"

#include <cstdlib>

#include "util/error.h"

namespace ccmcp::docker {

std::string Endpoint::base_url() const {
  if (kind == Kind::unix_socket) return "http://localhost";
  std::string name = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return std::string(tls ? "https://" : "http://") + name + ":" + std::to_string(port);
}

namespace {

[[noreturn]] void refuse(std::string_view text, const std::string& problem) {
  throw Error(ErrorKind::engine, "DOCKER_HOST " + quote(text), problem,
              "use unix:///var/run/docker.sock or tcp://HOST:PORT");
}

}  // namespace

Endpoint parse_endpoint(std::string_view text, bool tls) {
  Endpoint endpoint;
  endpoint.text = std::string(text);
  endpoint.tls = tls;
  if (text.rfind("unix://", 0) == 0) {
    endpoint.kind = Endpoint::Kind::unix_socket;
    endpoint.socket_path = std::string(text.substr(7));
    if (endpoint.socket_path.empty() || endpoint.socket_path[0] != '/')
      refuse(text, "needs an absolute socket path");
    endpoint.tls = false;
    return endpoint;
  }
  if (text.rfind("tcp://", 0) == 0) {
    endpoint.kind = Endpoint::Kind::tcp;
    std::string rest(text.substr(6));
    while (!rest.empty() && rest.back() == '/') rest.pop_back();
    std::string port_text;
    if (!rest.empty() && rest[0] == '[') {  // [::1]:2375
      auto close = rest.find(']');
      if (close == std::string::npos) refuse(text, "has an unclosed '['");
      endpoint.host = rest.substr(1, close - 1);
      if (close + 1 < rest.size()) {
        if (rest[close + 1] != ':') refuse(text, "has something after ']' that is not a port");
        port_text = rest.substr(close + 2);
      }
    } else {
      auto colon = rest.rfind(':');
      endpoint.host = rest.substr(0, colon);
      if (colon != std::string::npos) port_text = rest.substr(colon + 1);
    }
    if (endpoint.host.empty()) refuse(text, "has no host");
    endpoint.port = tls ? 2376 : 2375;
    if (!port_text.empty()) {
      char* end = nullptr;
      long port = std::strtol(port_text.c_str(), &end, 10);
      if (*end || port < 1 || port > 65535) refuse(text, quote(port_text) + " is not a port");
      endpoint.port = static_cast<int>(port);
    }
    return endpoint;
  }
  if (text.rfind("ssh://", 0) == 0) refuse(text, "ssh:// is not supported");
  if (text.rfind("npipe://", 0) == 0) refuse(text, "npipe:// is for Windows");
  refuse(text, "is neither unix:// nor tcp://");
}

Endpoint endpoint_from_environment() {
  const char* host = std::getenv("DOCKER_HOST");
  const char* verify = std::getenv("DOCKER_TLS_VERIFY");
  bool tls = verify && *verify && std::string_view(verify) != "0";
  Endpoint endpoint = parse_endpoint(host && *host ? host : kDefaultDockerHost, tls);
  if (endpoint.tls) {
    const char* certs = std::getenv("DOCKER_CERT_PATH");
    const char* home = std::getenv("HOME");
    endpoint.cert_dir = certs && *certs ? certs : std::string(home ? home : "") + "/.docker";
  }
  return endpoint;
}

}  // namespace ccmcp::docker
