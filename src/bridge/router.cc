// The HTTP endpoints of the router and the lifecycle of sessions.
#include "bridge/router.h"

#include <sys/random.h>

#include <cstdio>
#include <set>

namespace ccmcp::bridge {

namespace {

const char* const kSupportedVersions[] = {"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"};

std::string random_session_id() {
  unsigned char bytes[16];
  size_t done = 0;
  while (done < sizeof bytes) {
    ssize_t n = ::getrandom(bytes + done, sizeof bytes - done, 0);
    if (n > 0) done += static_cast<size_t>(n);
  }
  static const char hex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id += hex[b >> 4];
    id += hex[b & 15];
  }
  return id;
}

// Accept lists application/json and text/event-stream (or wildcards).
bool accepts(const HttpRequest& request, std::string_view type) {
  const std::string* accept = request.header("accept");
  if (!accept) return false;
  std::string value = *accept;
  for (char& ch : value) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (value.find(type) != std::string::npos || value.find("*/*") != std::string::npos) return true;
  std::string family = std::string(type.substr(0, type.find('/'))) + "/*";
  return value.find(family) != std::string::npos;
}

}  // namespace

bool is_supported_protocol_version(const std::string& version) {
  for (const char* v : kSupportedVersions)
    if (version == v) return true;
  return false;
}

Router::Router(EventLoop& loop, HttpServer& http, RouterOptions options, AccessPolicy policy)
    : loop_(loop), http_(http), options_(std::move(options)), policy_(std::move(policy)) {
  command_ok_ = is_executable_command(options_.command.at(0));
}

Router::~Router() {
  shutdown();
}

void Router::log(const std::string& text) const {
  std::fprintf(stderr, "cc-mcp-bridge: %s\n", text.c_str());
}

void Router::reply_json(ConnectionId c, int status, const Json& body, const Headers& extra) {
  Headers headers = extra;
  headers.emplace_back("Content-Type", "application/json");
  http_.respond(c, status, headers, body.dump(-1, ' ', false, Json::error_handler_t::replace));
}

void Router::reply_error(ConnectionId c, int status, const std::string& message, int rpc_code) {
  reply_json(
      c, status,
      {{"jsonrpc", "2.0"}, {"error", {{"code", rpc_code}, {"message", message}}}, {"id", nullptr}});
}

void Router::handle(ConnectionId c, HttpRequest& request) {
  if (options_.verbose) log(request.method + " " + request.target);
  if (request.path == "/healthz") {
    if (request.method != "GET" && request.method != "HEAD")
      return http_.respond(c, 405, {{"Allow", "GET"}}, ""), void();
    return healthz(c);
  }
  bool mcp = request.path == "/mcp", sse = request.path == "/sse",
       message = request.path == "/message" || request.path == "/messages";
  if (!mcp && !sse && !message)
    return http_.respond(c, 404, {{"Content-Type", "text/plain"}},
                         "not found: the MCP endpoint is /mcp (or /sse for the old transport)\n"),
           void();
  AccessDecision access = check_access(policy_, request);
  if (access.status) {
    Headers headers;
    if (access.status == 401) headers.emplace_back("WWW-Authenticate", "Bearer");
    Json body = {{"jsonrpc", "2.0"},
                 {"error", {{"code", -32600}, {"message", access.reason}}},
                 {"id", nullptr}};
    return reply_json(c, access.status, body, headers), void();
  }
  if (const std::string* version = request.header("mcp-protocol-version");
      version && !is_supported_protocol_version(*version))
    return reply_error(c, 400, "unsupported MCP-Protocol-Version " + *version), void();

  if (mcp && request.method == "POST") return post_mcp(c, request);
  if (mcp && request.method == "GET") return get_mcp(c, request);
  if (mcp && request.method == "DELETE") return delete_mcp(c, request);
  if (sse && request.method == "GET") return get_sse(c, request);
  if (message && request.method == "POST") return post_message(c, request);
  http_.respond(c, 405, {{"Allow", mcp ? "GET, POST, DELETE" : sse ? "GET" : "POST"}}, "");
}

void Router::healthz(ConnectionId c) {
  int64_t now = monotonic_ms();
  while (!recent_crashes_.empty() && now - recent_crashes_.front() > 60'000)
    recent_crashes_.pop_front();
  // Healthy while a child is alive or one can be started: the command
  // exists and children have not been dying at start-up again and again.
  bool alive = shared_ && shared_->alive();
  bool healthy = alive || (command_ok_ && recent_crashes_.size() < 3);
  std::string reason = !command_ok_ ? "command not found: " + options_.command[0]
                       : healthy    ? ""
                                    : "the server keeps exiting at start-up";
  Json body = {{"status", healthy ? "ok" : "unhealthy"},
               {"sessions", sessions_.size()},
               {"children", upstreams_.size()}};
  if (!reason.empty()) body["reason"] = reason;
  reply_json(c, healthy ? 200 : 503, body);
}

Router::Session* Router::session_for(ConnectionId c, const HttpRequest& request) {
  const std::string* id = request.header("mcp-session-id");
  if (!id) {
    reply_error(c, 400, "Mcp-Session-Id header is required (initialize first)");
    return nullptr;
  }
  auto it = sessions_.find(*id);
  if (it == sessions_.end() || it->second.legacy) {
    reply_error(c, 404, "session not found (it ended; initialize a new one)", -32001);
    return nullptr;
  }
  it->second.last_active_ms = monotonic_ms();
  return &it->second;
}

void Router::post_mcp(ConnectionId c, HttpRequest& request) {
  if (!accepts(request, "application/json") || !accepts(request, "text/event-stream"))
    return reply_error(c, 406, "Accept must list application/json and text/event-stream"), void();
  if (const std::string* type = request.header("content-type");
      !type || type->find("application/json") == std::string::npos)
    return reply_error(c, 415, "Content-Type must be application/json"), void();
  if (try_forward_fast(c, request)) return;
  Json message = Json::parse(request.body, nullptr, false);
  if (message.is_discarded())
    return reply_error(c, 400, "the body is not valid JSON", -32700), void();
  if (message.is_array())
    return reply_error(c, 400, "JSON-RPC batches are not supported; send one message per POST"),
           void();
  if (!message.is_object() || message.value("jsonrpc", "") != "2.0")
    return reply_error(c, 400, "the body is not a JSON-RPC 2.0 message"), void();

  bool is_initialize = message.value("method", "") == "initialize" && message.contains("id");
  if (is_initialize) {
    Session* session = open_session(c, /*legacy=*/false);
    if (!session) return;
    return from_client(*session, std::move(message), c, true);
  }
  Session* session = session_for(c, request);
  if (!session) return;
  from_client(*session, std::move(message), c, true);
}

void Router::get_mcp(ConnectionId c, HttpRequest& request) {
  if (!accepts(request, "text/event-stream"))
    return reply_error(c, 406, "Accept must list text/event-stream"), void();
  Session* session = session_for(c, request);
  if (!session) return;
  if (session->stream && http_.is_streaming(session->stream))
    return reply_error(c, 409, "this session already has a GET stream open"), void();
  session->stream = c;
  http_.start_stream(c, {{"Mcp-Session-Id", session->id}});
  while (!session->queued.empty() && http_.is_streaming(c)) {
    http_.send_event(c, "message", session->queued.front());
    session->queued.pop_front();
  }
}

void Router::delete_mcp(ConnectionId c, HttpRequest& request) {
  Session* session = session_for(c, request);
  if (!session) return;
  end_session(session->id, "the client ended the session");
  http_.respond(c, 200, {}, "");
}

void Router::get_sse(ConnectionId c, HttpRequest& request) {
  if (!accepts(request, "text/event-stream"))
    return reply_error(c, 406, "Accept must list text/event-stream"), void();
  Session* session = open_session(c, /*legacy=*/true);
  if (!session) return;
  session->stream = c;
  http_.start_stream(c, {});
  http_.send_event(c, "endpoint", "/message?sessionId=" + session->id);
}

void Router::post_message(ConnectionId c, HttpRequest& request) {
  auto id = query_param(request.query, "sessionId");
  auto it = id ? sessions_.find(*id) : sessions_.end();
  if (it == sessions_.end() || !it->second.legacy)
    return reply_error(c, 404, "session not found (open GET /sse first)", -32001), void();
  Json message = Json::parse(request.body, nullptr, false);
  if (message.is_discarded() || !message.is_object() || message.value("jsonrpc", "") != "2.0")
    return reply_error(c, 400, "the body is not a JSON-RPC 2.0 message", -32700), void();
  Session& session = it->second;
  session.last_active_ms = monotonic_ms();
  from_client(session, std::move(message), 0, false);
  http_.respond(c, 202, {{"Content-Type", "text/plain"}}, "Accepted");
}

std::shared_ptr<Upstream> Router::upstream_for_new_session() {
  if (options_.shared && shared_ && shared_->alive()) return shared_;
  auto upstream = std::make_shared<Upstream>(
      loop_, options_.command,
      [this](Upstream& from, std::string_view line) { from_child(from, line); });
  upstreams_[upstream->pid()] = upstream;
  if (options_.shared) shared_ = upstream;
  if (options_.verbose) log("started the server, pid " + std::to_string(upstream->pid()));
  return upstream;
}

Router::Session* Router::open_session(ConnectionId c, bool legacy) {
  if (sessions_.size() >= options_.max_sessions) {
    reply_error(c, 503, "too many sessions (see --max-sessions)", -32000);
    return nullptr;
  }
  try {
    return &create_session(legacy);
  } catch (const std::exception& e) {
    reply_error(c, 502, e.what(), -32000);
    return nullptr;
  }
}

Router::Session& Router::create_session(bool legacy) {
  std::shared_ptr<Upstream> upstream = upstream_for_new_session();
  std::string id = random_session_id();
  Session& session = sessions_[id];
  session.id = id;
  session.upstream = upstream;
  session.legacy = legacy;
  session.last_active_ms = monotonic_ms();
  upstream->sessions.insert(id);
  return session;
}

// `id` by value: it may name the session being erased.
void Router::end_session(std::string id, const std::string& reason) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return;
  Session& session = it->second;
  if (options_.verbose) log("session " + id.substr(0, 8) + " ended: " + reason);
  for (uint64_t bridge_id : pending_of(id))
    fail_pending(bridge_id, -32000, "session ended: " + reason, "session ended");
  if (session.stream && http_.is_streaming(session.stream)) http_.end_stream(session.stream);
  std::shared_ptr<Upstream> upstream = session.upstream;
  sessions_.erase(it);
  if (upstream) {
    upstream->sessions.erase(id);
    // One child per session: it goes with its session. A shared child stays.
    if (!options_.shared) upstream->terminate();
  }
}

void Router::connection_closed(ConnectionId c) {
  connection_drained(c);  // nothing more will be read: let its child go on
  if (auto it = pending_by_connection_.find(c); it != pending_by_connection_.end()) {
    // The client stopped waiting: tell the server it may stop working.
    std::vector<uint64_t> waiting = std::move(it->second);
    pending_by_connection_.erase(it);
    for (uint64_t bridge_id : waiting) {
      cancel_in_child(bridge_id, "the client disconnected");
      if (auto pending = take_pending(bridge_id))
        audit_end(*pending, {"client disconnected", std::nullopt, ""});
    }
  }
  std::vector<std::string> gone;
  for (auto& [id, session] : sessions_) {
    if (session.stream != c) continue;
    session.stream = 0;
    // The old transport has no session without its stream.
    if (session.legacy) gone.push_back(id);
  }
  for (const auto& id : gone) end_session(id, "the client closed its SSE stream");
}

void Router::child_exited(pid_t pid, int status) {
  auto it = upstreams_.find(pid);
  if (it == upstreams_.end()) return;
  std::shared_ptr<Upstream> upstream = it->second;
  upstream->mark_exited(status);
  upstreams_.erase(it);
  if (shared_ == upstream) shared_.reset();
  int64_t lived = monotonic_ms() - upstream->started_ms();
  bool expected = upstream->sessions.empty();
  if (!expected) {
    log("the server (pid " + std::to_string(pid) + ") " + describe_exit(status));
    if (lived < 5000) recent_crashes_.push_back(monotonic_ms());
  }
  std::vector<std::string> ids(upstream->sessions.begin(), upstream->sessions.end());
  for (const auto& id : ids) {
    // Every request still waiting gets its error now, not at a time-out.
    for (uint64_t bridge_id : pending_of(id))
      fail_pending(bridge_id, -32000, "the MCP server " + describe_exit(status), "server exited");
    end_session(id, "the MCP server " + describe_exit(status));
  }
}

void Router::tick() {
  int64_t now = monotonic_ms();
  std::vector<uint64_t> late;
  for (const auto& [bridge_id, pending] : pending_)
    if (now - pending.started_ms > options_.request_timeout_ms) late.push_back(bridge_id);
  for (uint64_t bridge_id : late) {
    cancel_in_child(bridge_id, "timed out");
    fail_pending(bridge_id, -32001,
                 "the MCP server did not answer within " +
                     std::to_string(options_.request_timeout_ms / 1000) + " s",
                 "timeout");
  }
  std::set<std::string> busy;  // sessions with a request in flight
  for (const auto& [bridge_id, pending] : pending_) busy.insert(pending.session);
  std::vector<std::string> idle;
  for (const auto& [id, session] : sessions_) {
    bool has_stream = session.stream && http_.is_streaming(session.stream);
    if (!has_stream && !busy.count(id) &&
        now - session.last_active_ms > options_.session_idle_timeout_ms)
      idle.push_back(id);
  }
  for (const auto& id : idle) end_session(id, "idle");
}

void Router::shutdown() {
  std::vector<std::string> ids;
  for (const auto& [id, session] : sessions_) ids.push_back(id);
  for (const auto& id : ids) end_session(id, "the bridge is stopping");
  for (auto& [pid, upstream] : upstreams_) upstream->terminate();
  upstreams_.clear();  // destructors kill and reap what is left
  shared_.reset();
}

}  // namespace ccmcp::bridge
