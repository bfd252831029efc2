// One HTTP exchange at a time, over TCP or a unix socket. The Docker engine
// client and the MCP client both speak through this, so that tests can put
// a fake in its place (see tests/unit/fake_http.h).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ccmcp::net {

struct HttpRequest {
  std::string method = "GET";
  std::string url;                   // "http://localhost/v1.41/_ping", "http://127.0.0.1:8123/mcp"
  std::string unix_socket;           // when set, the connection goes to this socket
  std::vector<std::string> headers;  // "Content-Type: application/json"
  std::string body;
  // Streams the request body (chunked) instead of `body`: fills the buffer,
  // returns the bytes written, 0 at the end. Throwing aborts the exchange.
  std::function<size_t(char* buffer, size_t size)> body_reader;
  // Streams the response body instead of collecting it; returning false
  // ends the exchange early (HttpResponse::stopped), which is not an error.
  std::function<bool(std::string_view chunk)> on_body;
  std::chrono::milliseconds timeout{0};  // the whole exchange; 0: no limit
  std::chrono::milliseconds connect_timeout{5000};
  // Aborts when no byte moved for this long (for long streams); 0: never.
  std::chrono::milliseconds idle_timeout{0};
  const std::atomic<bool>* cancel = nullptr;  // set to true to abort
  // TLS client certificate (tcp with DOCKER_TLS_VERIFY): PEM files.
  std::string ca_file, cert_file, key_file;
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercase
  std::string body;                                          // empty when on_body took it
  bool stopped = false;

  // The first header of that (lowercase) name, or "".
  std::string header(std::string_view name) const;
};

// No HTTP answer was had: why.
enum class HttpFailure {
  no_socket,          // the unix socket file does not exist
  permission_denied,  // the unix socket exists but we may not connect
  cannot_connect,     // refused, unreachable, name not resolved
  timed_out,
  cancelled,
  failed,  // anything else (broken connection, bad answer, upload threw)
};

class HttpError : public std::runtime_error {
 public:
  HttpError(HttpFailure failure, const std::string& what)
      : std::runtime_error(what), failure_(failure) {}
  HttpFailure failure() const { return failure_; }

 private:
  HttpFailure failure_;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Throws HttpError when no answer was had; any HTTP status is an answer.
  // Safe to call from several threads at once.
  virtual HttpResponse send(const HttpRequest& request) = 0;
};

// The real client (libcurl).
std::shared_ptr<HttpClient> make_curl_client();

}  // namespace ccmcp::net
