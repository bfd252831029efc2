// An HttpClient that sends every request to one unix socket: what an
// mcp::HttpSession needs to reach a bridge that listens on a socket file
// (the tester's containers have no network), without the MCP client
// knowing anything about sockets.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "net/http_client.h"

namespace ccmcp::net {

class SocketBoundClient : public HttpClient {
 public:
  SocketBoundClient(std::shared_ptr<HttpClient> inner, std::string socket_path)
      : inner_(std::move(inner)), socket_path_(std::move(socket_path)) {}

  HttpResponse send(const HttpRequest& request) override {
    HttpRequest bound = request;
    bound.unix_socket = socket_path_;
    return inner_->send(bound);
  }

 private:
  std::shared_ptr<HttpClient> inner_;
  std::string socket_path_;
};

}  // namespace ccmcp::net
