// The MCP side of the bridge: sessions, children, and where every message
// goes. HTTP requests come in from HttpServer; lines come in from each
// Upstream; this decides who gets what.
//
// Request ids: every request a client sends is given a fresh numeric id of
// the bridge's own before it reaches the child, and its own id is put back
// on the answer. So with one child shared by many sessions no client can
// ever see another's answer, and a number stays a number, a string a string.
// Progress tokens are rewritten the same way, so progress finds its request.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bridge/audit_entry.h"
#include "bridge/audit_log.h"
#include "bridge/http_server.h"
#include "bridge/security.h"
#include "bridge/upstream.h"

namespace ccmcp::bridge {

struct RouterOptions {
  std::vector<std::string> command;
  bool shared = false;
  size_t max_sessions = 256;
  int64_t session_idle_timeout_ms = 30 * 60 * 1000;
  int64_t request_timeout_ms = 5 * 60 * 1000;
  size_t max_queued_messages = 512;  // per session, waiting for a GET stream
  int verbose = 0;
  AuditLog* audit = nullptr;  // --audit-file: a line per audited call (it outlives the router)
};

class Router {
 public:
  Router(EventLoop& loop, HttpServer& http, RouterOptions options, AccessPolicy policy);
  ~Router();

  void handle(ConnectionId connection, HttpRequest& request);
  void connection_closed(ConnectionId connection);
  void connection_drained(ConnectionId connection);
  void child_exited(pid_t pid, int status);
  void tick();
  // Ends every session and child (on SIGTERM).
  void shutdown();

  size_t session_count() const { return sessions_.size(); }

 private:
  struct Pending {
    std::string session;
    Json client_id;
    ConnectionId connection = 0;  // 0: answers go on the session's stream (old SSE transport)
    bool accepts_stream = true;   // the POST accepted text/event-stream
    bool streaming = false;       // the POST's answer became an SSE stream
    bool is_initialize = false;
    std::optional<Json> progress_token;
    int64_t started_ms = 0;
    std::optional<AuditCall> audit;  // set for an audited method while auditing
  };
  struct Session {
    std::string id;
    std::shared_ptr<Upstream> upstream;
    bool legacy = false;      // HTTP+SSE (GET /sse, POST /message)
    ConnectionId stream = 0;  // the GET stream, or the /sse stream
    int64_t last_active_ms = 0;
    std::deque<std::string> queued;                // for the stream, when none is open yet
    uint64_t dropped = 0;                          // queued messages dropped for want of a stream
    std::map<std::string, uint64_t> by_client_id;  // client id (dumped) -> bridge id
  };

  // HTTP endpoints.
  void post_mcp(ConnectionId c, HttpRequest& request);
  void get_mcp(ConnectionId c, HttpRequest& request);
  void delete_mcp(ConnectionId c, HttpRequest& request);
  void get_sse(ConnectionId c, HttpRequest& request);
  void post_message(ConnectionId c, HttpRequest& request);
  void healthz(ConnectionId c);

  // Client -> child.
  void from_client(Session& session, Json message, ConnectionId c, bool accepts_stream);
  void forward_request(Session& session, Json message, ConnectionId c, bool accepts_stream);
  // The hot path: a plain request (not initialize, no progress token)
  // forwarded with its id spliced, without parsing it into a document.
  bool try_forward_fast(ConnectionId c, const HttpRequest& request);
  bool try_deliver_fast(std::string_view line);
  std::optional<Pending> take_pending(uint64_t bridge_id);
  Pending make_pending(const Session& session, Json client_id, ConnectionId c, bool accepts_stream,
                       bool is_initialize) const;
  void answer_initialize_from_cache(Session& session, const Json& request, ConnectionId c);

  // Child -> client.
  void from_child(Upstream& upstream, std::string_view line);
  void deliver_response(uint64_t bridge_id, Json message);
  void deliver_to_pending(Pending& pending, const std::string& text, bool final);
  void deliver_to_session(Session& session, const std::string& text);
  // After writing to `c` for `session`: pause its child if `c` is backed up.
  void apply_backpressure(const std::string& session, ConnectionId c);

  // The session a request names; answers 400/404 itself and returns null
  // when there is none.
  Session* session_for(ConnectionId c, const HttpRequest& request);
  // A new session (and its child, unless shared); answers 503/502 itself
  // and returns null when it cannot be had.
  Session* open_session(ConnectionId c, bool legacy);
  Session& create_session(bool legacy);
  std::shared_ptr<Upstream> upstream_for_new_session();
  void end_session(std::string id, const std::string& reason);
  // The bridge answers for the server; `audit_status` says why in the audit
  // file (timeout, server exited, session ended).
  void fail_pending(uint64_t bridge_id, int code, const std::string& message,
                    const char* audit_status);
  // Writes the audit line of an audited request that has ended.
  void audit_end(const Pending& pending, const AuditOutcome& outcome);
  std::vector<uint64_t> pending_of(const std::string& session_id) const;
  // Tells the child to stop working on a request nobody waits for.
  void cancel_in_child(uint64_t bridge_id, const std::string& reason);
  // Sends a request (its id already `bridge_id`) and records it as waiting.
  void send_request(Session& session, uint64_t bridge_id, Pending pending, const std::string& text);

  void reply_json(ConnectionId c, int status, const Json& body, const Headers& extra = {});
  void reply_error(ConnectionId c, int status, const std::string& message, int rpc_code = -32600);
  void log(const std::string& text) const;

  EventLoop& loop_;
  HttpServer& http_;
  RouterOptions options_;
  AccessPolicy policy_;
  bool command_ok_ = true;
  std::map<std::string, Session> sessions_;
  std::map<uint64_t, Pending> pending_;
  std::map<ConnectionId, std::vector<uint64_t>> pending_by_connection_;
  std::map<pid_t, std::shared_ptr<Upstream>> upstreams_;
  std::shared_ptr<Upstream> shared_;
  std::map<ConnectionId, std::vector<std::weak_ptr<Upstream>>> paused_for_;
  std::deque<int64_t> recent_crashes_;  // start-up failures, for /healthz
  uint64_t next_bridge_id_ = 1;
};

// The protocol versions the bridge accepts in MCP-Protocol-Version.
bool is_supported_protocol_version(const std::string& version);

}  // namespace ccmcp::bridge
