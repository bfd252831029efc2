// An MCP client session over Streamable HTTP (see session.h for the API),
// and probe(): the readiness check of a server behind a URL.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "mcp/http_transport.h"
#include "mcp/session.h"

namespace ccmcp::mcp {

class HttpSession : public Session {
 public:
  // `http` defaults to libcurl. Nothing is sent before initialize.
  explicit HttpSession(std::string url, std::shared_ptr<net::HttpClient> http = nullptr);
  ~HttpSession() override;

  Json request(const std::string& method, const Json& params,
               std::chrono::milliseconds timeout) override;
  void notify(const std::string& method, const Json& params = nullptr) override;
  // Stops listening and DELETEs the session.
  void close() override;

  // Opens the GET stream on a thread of its own, so that requests and
  // notifications the server starts outside any request reach the
  // handlers; false when the server has none (405). After initialize.
  bool listen();

  std::string session_id() const { return transport_.session_id(); }
  const std::string& url() const { return transport_.url(); }

 protected:
  void send_answer(const Json& answer) override;
  Json send_initialize(const Json& params, std::chrono::milliseconds timeout) override;
  void initialized(const ServerInfo& info) override;

 private:
  Json exchange(const Json& id, const std::string& method, const Json& params,
                std::chrono::milliseconds timeout, bool with_session);
  void stop_listening();

  HttpTransport transport_;
  std::atomic<bool> stop_{false};
  std::thread listener_;
  bool closed_ = false;
};

struct ProbeResult {
  ServerInfo server;
  std::vector<std::string> tools;  // names, in the server's order
  int attempts = 0;                // initialize tries until one was answered
  // From the start of the probe until initialize was answered (waiting for
  // the server included), then each exchange of the answered session.
  std::chrono::milliseconds ready{0}, initialize{0}, tools_list{0}, ping{0}, total{0};
};

struct ProbeOptions {
  std::chrono::milliseconds timeout{30000};  // for the whole probe
  std::string subject;                       // names the server in errors; default the URL
  std::shared_ptr<net::HttpClient> http;     // default libcurl
};

// Waits until the server behind `url` answers initialize (retrying while
// nothing listens or it answers 502/503, with a growing pause), then runs
// tools/list and ping, and ends the session. Throws Error (kind runtime)
// when the time runs out, naming what it saw last; a JSON-RPC error or
// another HTTP error is thrown at once.
ProbeResult probe(const std::string& url, const ProbeOptions& options = {});

}  // namespace ccmcp::mcp
