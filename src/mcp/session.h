// An MCP client session, whatever carries it (Streamable HTTP: HttpSession,
// a child's stdin and stdout: StdioSession): initialize, requests matched to
// their answers, notifications, and the messages the server starts itself.
//
//   mcp::HttpSession session(server_url(port));
//   auto server = session.initialize(std::chrono::seconds(10));
//   auto tools = session.list_tools(std::chrono::seconds(10));
//   Json result = session.call_tool("echo", {{"message", "hi"}}, std::chrono::seconds(30));
//   session.close();
//
// Requests may be made from several threads at once. A failed request
// throws: RpcError for a JSON-RPC error answer, TransportError (HTTP) or
// Error (kind runtime) for no answer, with the server named as the subject.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "mcp/jsonrpc.h"

namespace ccmcp::mcp {

struct ClientInfo {
  std::string name = "cc-mcp";
  std::string version;                 // empty: cc-mcp's own
  Json capabilities = Json::object();  // e.g. {"roots": {}} when on_request answers roots/list
};

struct ServerInfo {
  std::string name;
  std::string version;
  std::string protocol_version;  // as negotiated: the initialize result's
  std::string instructions;
  Json capabilities = Json::object();
};

// A notification from the server (progress, logging, list changes).
using NotificationHandler = std::function<void(const std::string& method, const Json& params)>;
// A request from the server (sampling, elicitation, roots/list): returns
// the result, or throws RpcError to answer with an error. Without one, ping
// is answered with {} and every other request with "method not found".
// Handlers run on the thread that read the message: they must not wait for
// another answer of the same session.
using RequestHandler = std::function<Json(const std::string& method, const Json& params)>;

class Session {
 public:
  virtual ~Session() = default;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Sends initialize (protocol 2025-11-25) and then notifications/initialized.
  ServerInfo initialize(std::chrono::milliseconds timeout, const ClientInfo& client = {});

  // Sends a request and waits for its answer; returns the result.
  virtual Json request(const std::string& method, const Json& params,
                       std::chrono::milliseconds timeout) = 0;
  virtual void notify(const std::string& method, const Json& params = nullptr) = 0;
  // Ends the session (HTTP: DELETE; stdio: the child is stopped). Idempotent.
  virtual void close() = 0;

  // tools/list, every page; the tool objects as the server sent them.
  std::vector<Json> list_tools(std::chrono::milliseconds timeout);
  // Any paged list ("prompts/list" with key "prompts", "resources/list"
  // with "resources"), every page.
  std::vector<Json> list_all(const std::string& method, const std::string& key,
                             std::chrono::milliseconds timeout);
  void ping(std::chrono::milliseconds timeout);
  Json call_tool(const std::string& name, const Json& arguments, std::chrono::milliseconds timeout);

  // Set before initialize; they are not synchronized with incoming messages.
  void on_notification(NotificationHandler handler) { on_notification_ = std::move(handler); }
  void on_request(RequestHandler handler) { on_request_ = std::move(handler); }

  const ServerInfo& server() const { return server_; }
  // How messages name the server: its URL or its command.
  const std::string& label() const { return label_; }

 protected:
  explicit Session(std::string label) : label_(std::move(label)) {}

  Json next_id() { return next_id_++; }
  // A message the server started: a notification goes to the handler, a
  // request is answered through send_answer.
  void dispatch(const Json& message);
  virtual void send_answer(const Json& answer) = 0;
  // The initialize exchange; HTTP overrides it to start a session.
  virtual Json send_initialize(const Json& params, std::chrono::milliseconds timeout) {
    return request("initialize", params, timeout);
  }
  virtual void initialized(const ServerInfo&) {}

  // The Error for a request that got no answer in time.
  Error timed_out(const std::string& method, std::chrono::milliseconds timeout) const;

 private:
  std::string label_;
  std::atomic<int64_t> next_id_{1};
  ServerInfo server_;
  NotificationHandler on_notification_;
  RequestHandler on_request_;
};

}  // namespace ccmcp::mcp
