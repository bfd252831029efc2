// Where the Docker engine listens: DOCKER_HOST as the docker CLI reads it.
#pragma once

#include <string>
#include <string_view>

namespace ccmcp::docker {

struct Endpoint {
  enum class Kind { unix_socket, tcp };
  Kind kind = Kind::unix_socket;
  std::string socket_path;  // unix: the socket file
  std::string host;         // tcp: name or address
  int port = 0;             // tcp
  bool tls = false;         // tcp with DOCKER_TLS_VERIFY (certificates in DOCKER_CERT_PATH)
  std::string cert_dir;     // DOCKER_CERT_PATH, else ~/.docker
  std::string text;         // for messages: "unix:///var/run/docker.sock"

  // The URL prefix of every request: "http://localhost" for a socket.
  std::string base_url() const;
};

inline constexpr const char* kDefaultDockerHost = "unix:///var/run/docker.sock";

// "unix:///path", "tcp://host:port" (port defaults to 2375, 2376 with TLS).
// Throws Error (kind engine) for any other form, naming the variable.
Endpoint parse_endpoint(std::string_view text, bool tls = false);

// DOCKER_HOST (with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH), else the default socket.
Endpoint endpoint_from_environment();

}  // namespace ccmcp::docker
