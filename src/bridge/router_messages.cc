// Where each message goes: client -> child with ids rewritten, child ->
// client with ids restored, notifications and server requests to the
// stream of the session that owns them.
#include <cstdio>

#include <charconv>

#include "bridge/jsonrpc_scan.h"
#include "bridge/router.h"

namespace ccmcp::bridge {

namespace {

std::string dump(const Json& message) {
  return message.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json rpc_error(const Json& id, int code, const std::string& message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

// params._meta.progressToken, if any.
Json* progress_token_of(Json& message) {
  auto params = message.find("params");
  if (params == message.end() || !params->is_object()) return nullptr;
  auto meta = params->find("_meta");
  if (meta == params->end() || !meta->is_object()) return nullptr;
  auto token = meta->find("progressToken");
  return token == meta->end() ? nullptr : &*token;
}

}  // namespace

void Router::from_client(Session& session, Json message, ConnectionId c, bool accepts_stream) {
  bool has_method = message.contains("method");
  bool has_id = message.contains("id") && !message["id"].is_null();
  if (has_method && has_id) return forward_request(session, std::move(message), c, accepts_stream);

  // Notifications and answers to the server's own requests: passed on, 202.
  if (has_method) {
    const std::string method = message.value("method", "");
    if (method == "notifications/initialized" && options_.shared) {
      if (session.upstream->initialized_notified) {
        if (c) http_.respond(c, 202, {}, "");
        return;
      }
      session.upstream->initialized_notified = true;
    }
    if (method == "notifications/cancelled") {
      // The client names its own id; the child knows ours.
      auto params = message.find("params");
      if (params != message.end() && params->is_object() && params->contains("requestId")) {
        auto it = session.by_client_id.find((*params)["requestId"].dump());
        if (it == session.by_client_id.end()) {
          if (c) http_.respond(c, 202, {}, "");
          return;  // already answered: nothing to cancel
        }
        (*params)["requestId"] = it->second;
      }
    }
  }
  if (!session.upstream->send(dump(message))) {
    if (c) reply_error(c, 503, "the MCP server is not reading its input", -32000);
    return;
  }
  if (c) http_.respond(c, 202, {}, "");
}

Router::Pending Router::make_pending(const Session& session, Json client_id, ConnectionId c,
                                     bool accepts_stream, bool is_initialize) const {
  Pending pending;
  pending.session = session.id;
  pending.client_id = std::move(client_id);
  pending.connection = c;
  pending.accepts_stream = accepts_stream;
  pending.is_initialize = is_initialize;
  pending.started_ms = monotonic_ms();
  return pending;
}

void Router::forward_request(Session& session, Json message, ConnectionId c, bool accepts_stream) {
  bool is_initialize = message.value("method", "") == "initialize";
  Upstream& upstream = *session.upstream;
  if (is_initialize && options_.shared) {
    if (upstream.initialize_result) return answer_initialize_from_cache(session, message, c);
    if (upstream.initialize_in_flight) {
      // The first session's initialize is on its way: answer this one
      // from its result when it comes.
      uint64_t bridge_id = next_bridge_id_++;
      pending_[bridge_id] = make_pending(session, message["id"], c, accepts_stream, true);
      if (c) pending_by_connection_[c].push_back(bridge_id);
      upstream.waiting_initializes.push_back(bridge_id);
      return;
    }
    upstream.initialize_in_flight = true;
  }

  uint64_t bridge_id = next_bridge_id_++;
  Pending pending = make_pending(session, message["id"], c, accepts_stream, is_initialize);
  if (options_.audit) {
    auto params = message.find("params");
    pending.audit =
        audit_call_of(message.value("method", ""), params == message.end() ? nullptr : &*params);
  }
  if (Json* token = progress_token_of(message)) {
    pending.progress_token = *token;
    *token = bridge_id;
  }
  message["id"] = bridge_id;
  send_request(session, bridge_id, std::move(pending), dump(message));
}

void Router::send_request(Session& session, uint64_t bridge_id, Pending pending,
                          const std::string& text) {
  ConnectionId c = pending.connection;
  if (!session.upstream->send(text)) {
    if (c) reply_error(c, 503, "the MCP server is not reading its input", -32000);
    audit_end(pending, {"error", -32000, "the MCP server is not reading its input"});
    return;
  }
  session.by_client_id[pending.client_id.dump()] = bridge_id;
  pending_[bridge_id] = std::move(pending);
  if (c) pending_by_connection_[c].push_back(bridge_id);
}

bool Router::try_forward_fast(ConnectionId c, const HttpRequest& request) {
  const std::string& body = request.body;
  TopLevelFields f;
  if (!scan_top_level(body, f) || !f.jsonrpc.found || f.jsonrpc.of(body) != "\"2.0\"" ||
      !f.method.found || !f.id.found || f.id.of(body) == "null" ||
      f.method.of(body) == "\"initialize\"" ||
      (f.params.found && f.params.of(body).find("progressToken") != std::string_view::npos))
    return false;
  Json client_id = Json::parse(f.id.of(body), nullptr, false);
  if (client_id.is_discarded()) return false;  // the slow path says what is wrong
  Session* session = session_for(c, request);
  if (!session) return true;
  uint64_t bridge_id = next_bridge_id_++;
  std::string out;
  out.reserve(body.size() + 24);
  out.append(body, 0, f.id.begin);
  out += std::to_string(bridge_id);
  out.append(body, f.id.end);
  // Strings cannot hold raw line breaks, so any here are whitespace between
  // tokens: blanked, since the child reads one message per line.
  for (char& ch : out)
    if (ch == '\n' || ch == '\r') ch = ' ';
  Pending pending = make_pending(*session, std::move(client_id), c, true, false);
  if (options_.audit) pending.audit = audit_call_of_raw(f.method.of(body), f.params.of(body));
  send_request(*session, bridge_id, std::move(pending), out);
  return true;
}

bool Router::try_deliver_fast(std::string_view line) {
  TopLevelFields f;
  if (!scan_top_level(line, f) || f.method.found || !f.id.found) return false;
  std::string_view id_text = f.id.of(line);
  uint64_t bridge_id = 0;
  auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), bridge_id);
  if (ec != std::errc() || end != id_text.data() + id_text.size()) return false;
  auto it = pending_.find(bridge_id);
  if (it == pending_.end() || it->second.is_initialize) return false;
  std::optional<Pending> pending = take_pending(bridge_id);
  if (pending->audit) {
    // Only an error is parsed (it is small); a result is not looked into.
    audit_end(*pending, f.error.found
                            ? AuditOutcome::of_error(Json::parse(f.error.of(line), nullptr, false))
                            : AuditOutcome::ok());
  }
  std::string client_id = pending->client_id.dump();
  std::string out;
  out.reserve(line.size() + client_id.size());
  out.append(line.substr(0, f.id.begin));
  out += client_id;
  out.append(line.substr(f.id.end));
  deliver_to_pending(*pending, out, true);
  return true;
}

std::optional<Router::Pending> Router::take_pending(uint64_t bridge_id) {
  auto it = pending_.find(bridge_id);
  if (it == pending_.end()) return std::nullopt;
  Pending pending = std::move(it->second);
  pending_.erase(it);
  if (pending.connection) {
    auto list = pending_by_connection_.find(pending.connection);
    if (list != pending_by_connection_.end()) {
      auto& ids = list->second;
      ids.erase(std::remove(ids.begin(), ids.end(), bridge_id), ids.end());
      if (ids.empty()) pending_by_connection_.erase(list);
    }
  }
  auto s = sessions_.find(pending.session);
  if (s != sessions_.end()) s->second.by_client_id.erase(pending.client_id.dump());
  return pending;
}

void Router::answer_initialize_from_cache(Session& session, const Json& request, ConnectionId c) {
  Json response = {
      {"jsonrpc", "2.0"}, {"id", request["id"]}, {"result", *session.upstream->initialize_result}};
  if (c)
    reply_json(c, 200, response, {{"Mcp-Session-Id", session.id}});
  else
    deliver_to_session(session, dump(response));
}

void Router::from_child(Upstream& upstream, std::string_view line) {
  if (try_deliver_fast(line)) return;
  Json message = Json::parse(line, nullptr, false);
  if (message.is_discarded() || !message.is_object()) {
    std::string preview(line.substr(0, 200));
    log("dropped a line from the server that is not JSON-RPC: " + preview);
    return;
  }
  bool has_method = message.contains("method");
  bool has_id = message.contains("id") && !message["id"].is_null();

  if (!has_method && has_id) {  // an answer to one of our requests
    const Json& id = message["id"];
    if (!id.is_number_unsigned()) {
      log("dropped an answer with an id the bridge never sent: " + id.dump());
      return;
    }
    return deliver_response(id.get<uint64_t>(), std::move(message));
  }

  if (has_method && !has_id && message["method"] == "notifications/progress") {
    auto params = message.find("params");
    if (params != message.end() && params->is_object() && params->contains("progressToken") &&
        (*params)["progressToken"].is_number_unsigned()) {
      auto it = pending_.find((*params)["progressToken"].get<uint64_t>());
      if (it != pending_.end() && it->second.progress_token) {
        (*params)["progressToken"] = *it->second.progress_token;
        return deliver_to_pending(it->second, dump(message), false);
      }
    }
  }

  // Server requests (sampling, elicitation, roots) and other notifications:
  // to the session this child serves; with a shared child, a request goes
  // to the session with the most recent request in flight, a notification
  // to every session.
  std::string text = dump(message);
  if (upstream.sessions.empty()) return;
  if (!options_.shared || upstream.sessions.size() == 1) {
    auto it = sessions_.find(*upstream.sessions.begin());
    if (it != sessions_.end()) deliver_to_session(it->second, text);
    return;
  }
  if (has_id) {
    const Pending* latest = nullptr;
    for (const auto& [bridge_id, pending] : pending_)
      if (upstream.sessions.count(pending.session)) latest = &pending;
    std::string target = latest ? latest->session : *upstream.sessions.begin();
    auto it = sessions_.find(target);
    if (it != sessions_.end()) deliver_to_session(it->second, text);
    return;
  }
  for (const auto& id : upstream.sessions) {
    auto it = sessions_.find(id);
    if (it != sessions_.end()) deliver_to_session(it->second, text);
  }
}

void Router::deliver_response(uint64_t bridge_id, Json message) {
  std::optional<Pending> taken = take_pending(bridge_id);
  if (!taken) return;  // answered already (time-out, cancelled)
  Pending& pending = *taken;
  auto s = sessions_.find(pending.session);

  if (pending.is_initialize && options_.shared && s != sessions_.end()) {
    Upstream& upstream = *s->second.upstream;
    upstream.initialize_in_flight = false;
    if (message.contains("result")) {
      upstream.initialize_result = message["result"];
      auto waiting = std::move(upstream.waiting_initializes);
      for (uint64_t handle : waiting) {
        std::optional<Pending> waiter = take_pending(handle);
        if (!waiter || !sessions_.count(waiter->session)) continue;
        Json reply = {
            {"jsonrpc", "2.0"}, {"id", waiter->client_id}, {"result", *upstream.initialize_result}};
        deliver_to_pending(*waiter, dump(reply), true);
      }
    }
  }
  if (pending.audit) {
    auto error = message.find("error");
    audit_end(pending,
              error == message.end() ? AuditOutcome::ok() : AuditOutcome::of_error(*error));
  }
  message["id"] = pending.client_id;
  deliver_to_pending(pending, dump(message), true);
}

void Router::deliver_to_pending(Pending& pending, const std::string& text, bool final) {
  auto s = sessions_.find(pending.session);
  if (!pending.connection) {  // the old transport: everything on the session's stream
    if (s != sessions_.end()) deliver_to_session(s->second, text);
    return;
  }
  ConnectionId c = pending.connection;
  if (!http_.is_open(c)) return;
  Headers headers;
  if (pending.is_initialize && s != sessions_.end())
    headers.emplace_back("Mcp-Session-Id", s->second.id);
  if (final && !pending.streaming) {
    headers.emplace_back("Content-Type", "application/json");
    http_.respond(c, 200, headers, text);
    apply_backpressure(pending.session, c);
    return;
  }
  if (!pending.streaming) {
    if (!pending.accepts_stream) {
      if (s != sessions_.end()) deliver_to_session(s->second, text);
      return;
    }
    // A notification before the answer: this POST becomes an SSE stream.
    http_.start_stream(c, headers);
    pending.streaming = true;
  }
  http_.send_event(c, "message", text);
  if (final) http_.end_stream(c);
  apply_backpressure(pending.session, c);
}

void Router::deliver_to_session(Session& session, const std::string& text) {
  if (session.stream && http_.is_streaming(session.stream)) {
    http_.send_event(session.stream, "message", text);
    apply_backpressure(session.id, session.stream);
    return;
  }
  // No GET stream: a request of this session still waiting can carry it.
  if (!session.legacy) {
    for (auto& [bridge_id, pending] : pending_) {
      if (pending.session != session.id || !pending.connection || !pending.accepts_stream) continue;
      if (!http_.is_open(pending.connection)) continue;
      deliver_to_pending(pending, text, false);
      return;
    }
  }
  if (session.queued.size() >= options_.max_queued_messages) {
    session.queued.pop_front();
    // Counted, and logged now and then: a chatty server with a client that
    // never opens its GET stream must not flood the container log.
    if (++session.dropped % 1000 == 1)
      log("session " + session.id.substr(0, 8) + ": no GET stream open; dropped " +
          std::to_string(session.dropped) + " message(s) so far (the oldest waiting ones)");
  }
  session.queued.push_back(text);
}

void Router::apply_backpressure(const std::string& session_id, ConnectionId c) {
  // A shared child serves everyone: pausing it for one slow client would
  // stall the rest, so there the slow client is cut off instead (HttpServer).
  constexpr size_t kHighWater = 4u << 20;
  if (options_.shared || http_.buffered(c) < kHighWater) return;
  auto s = sessions_.find(session_id);
  if (s == sessions_.end() || !s->second.upstream) return;
  s->second.upstream->pause_output();
  paused_for_[c].push_back(s->second.upstream);
}

void Router::connection_drained(ConnectionId c) {
  auto it = paused_for_.find(c);
  if (it == paused_for_.end()) return;
  auto upstreams = std::move(it->second);
  paused_for_.erase(it);
  for (auto& weak : upstreams)
    if (auto upstream = weak.lock()) upstream->resume_output();
}

std::vector<uint64_t> Router::pending_of(const std::string& session_id) const {
  std::vector<uint64_t> ids;
  for (const auto& [bridge_id, pending] : pending_)
    if (pending.session == session_id) ids.push_back(bridge_id);
  return ids;
}

void Router::cancel_in_child(uint64_t bridge_id, const std::string& reason) {
  auto p = pending_.find(bridge_id);
  if (p == pending_.end()) return;
  auto s = sessions_.find(p->second.session);
  if (s == sessions_.end() || !s->second.upstream) return;
  s->second.upstream->send(dump({{"jsonrpc", "2.0"},
                                 {"method", "notifications/cancelled"},
                                 {"params", {{"requestId", bridge_id}, {"reason", reason}}}}));
}

void Router::fail_pending(uint64_t bridge_id, int code, const std::string& message,
                          const char* audit_status) {
  std::optional<Pending> pending = take_pending(bridge_id);
  if (!pending) return;
  audit_end(*pending, {audit_status, code, message});
  deliver_to_pending(*pending, dump(rpc_error(pending->client_id, code, message)), true);
}

void Router::audit_end(const Pending& pending, const AuditOutcome& outcome) {
  if (!options_.audit || !pending.audit) return;
  options_.audit->write(
      audit_line(*pending.audit, pending.session, monotonic_ms() - pending.started_ms, outcome));
}

}  // namespace ccmcp::bridge
