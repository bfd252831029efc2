#include "mcp/http_session.h"

#include <optional>

namespace ccmcp::mcp {

namespace {

std::string serialize(const Json& message) {
  return message.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

HttpSession::HttpSession(std::string url, std::shared_ptr<net::HttpClient> http)
    : Session(url), transport_(std::move(url), std::move(http)) {}

HttpSession::~HttpSession() {
  try {
    close();
  } catch (...) {
    // A destructor must not throw; the server reaps an abandoned session.
  }
}

Json HttpSession::exchange(const Json& id, const std::string& method, const Json& params,
                           std::chrono::milliseconds timeout, bool with_session) {
  std::optional<Json> response;
  MessageSink sink = [&](Json message) {
    if (is_response(message)) {
      if (message["id"] != id) return true;  // not ours: nothing waits for it here
      response = std::move(message);
      return false;  // our answer is in; the rest of the stream is not needed
    }
    dispatch(message);
    return true;
  };
  Exchange options;
  options.timeout = timeout;
  options.with_session = with_session;
  PostAnswer answer;
  try {
    answer = transport_.post(serialize(make_request(id, method, params)), sink, options);
  } catch (const TransportError& error) {
    if (error.failure() != TransportFailure::timed_out) throw;
    try {  // tell the server to stop working on it
      notify("notifications/cancelled", {{"requestId", id}, {"reason", "timed out"}});
    } catch (const Error&) {
    }
    throw timed_out(method, timeout);
  }
  if (!response)
    throw TransportError(
        TransportFailure::broken, answer.status, label(),
        "answered " + method + " without a response (HTTP " + std::to_string(answer.status) + ")",
        "is this an MCP server?");
  if (!with_session && !answer.session_id.empty()) transport_.set_session_id(answer.session_id);
  return result_or_throw(*response, label(), method);
}

Json HttpSession::request(const std::string& method, const Json& params,
                          std::chrono::milliseconds timeout) {
  return exchange(next_id(), method, params, timeout, true);
}

Json HttpSession::send_initialize(const Json& params, std::chrono::milliseconds timeout) {
  transport_.set_session_id({});
  transport_.set_protocol_version({});
  return exchange(next_id(), "initialize", params, timeout, false);
}

void HttpSession::initialized(const ServerInfo& info) {
  transport_.set_protocol_version(info.protocol_version);
}

void HttpSession::notify(const std::string& method, const Json& params) {
  Exchange options;
  options.timeout = std::chrono::seconds(30);
  transport_.post(
      serialize(make_notification(method, params)),
      [this](Json message) {
        if (!is_response(message)) dispatch(message);
        return true;
      },
      options);
}

void HttpSession::send_answer(const Json& answer) {
  Exchange options;
  options.timeout = std::chrono::seconds(30);
  try {
    transport_.post(
        serialize(answer), [](Json) { return true; }, options);
  } catch (const TransportError&) {
    // The server asked and went away: there is nobody left to tell.
  }
}

bool HttpSession::listen() {
  if (listener_.joinable() || transport_.session_id().empty()) return false;
  stop_ = false;
  listener_ = std::thread([this] {
    MessageSink sink = [this](Json message) {
      if (!is_response(message)) dispatch(message);
      return !stop_.load();
    };
    while (!stop_) {
      try {
        if (!transport_.listen(sink, &stop_)) return;  // the server has no GET stream
      } catch (const TransportError&) {
        return;  // the session ended, or the server went away: requests will say so
      }
      // The server closed the stream (it may, at any time): open it again.
      for (int i = 0; i < 10 && !stop_; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  return true;
}

void HttpSession::stop_listening() {
  stop_ = true;
  if (listener_.joinable()) listener_.join();
}

void HttpSession::close() {
  if (closed_) return;
  closed_ = true;
  // The DELETE first: the server then ends the GET stream at once, sooner
  // than curl notices the stop flag (it looks about once a second).
  stop_ = true;
  transport_.end_session();
  stop_listening();
}

ProbeResult probe(const std::string& url, const ProbeOptions& options) {
  using Clock = std::chrono::steady_clock;
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  const std::string subject = options.subject.empty() ? url : options.subject;
  const auto start = Clock::now();
  const auto deadline = start + options.timeout;
  auto remaining = [&] {
    return std::max(milliseconds(1), duration_cast<milliseconds>(deadline - Clock::now()));
  };
  auto since = [](Clock::time_point from) {
    return duration_cast<milliseconds>(Clock::now() - from);
  };
  ProbeResult result;
  std::string last = "nothing answered";
  milliseconds pause(20);
  for (;;) {
    if (Clock::now() >= deadline)
      throw Error(ErrorKind::runtime, subject,
                  "did not answer MCP initialize within " + describe_duration(options.timeout) +
                      " (last: " + last + ")",
                  "see its log");
    HttpSession session(url, options.http);
    ++result.attempts;
    auto begin = Clock::now();
    try {
      result.server = session.initialize(remaining(), {"cc-mcp-probe", "", Json::object()});
    } catch (const TransportError& error) {
      bool retry = error.failure() == TransportFailure::unreachable ||
                   error.failure() == TransportFailure::unavailable ||
                   error.failure() == TransportFailure::broken ||
                   error.failure() == TransportFailure::timed_out;
      if (!retry) throw Error(ErrorKind::runtime, subject, error.problem(), error.hint());
      last = error.problem();
      std::this_thread::sleep_for(std::min(pause, remaining()));
      pause = std::min(pause * 2, milliseconds(500));
      continue;
    } catch (const RpcError&) {
      throw;
    } catch (const Error& error) {
      if (Clock::now() < deadline) throw;  // not a time-out: a server that is not MCP
      last = error.problem();
      continue;
    }
    result.initialize = since(begin);
    result.ready = since(start);
    begin = Clock::now();
    for (const auto& tool : session.list_tools(remaining()))
      if (tool.is_object() && tool.contains("name") && tool["name"].is_string())
        result.tools.push_back(tool["name"].get<std::string>());
    result.tools_list = since(begin);
    begin = Clock::now();
    session.ping(remaining());
    result.ping = since(begin);
    session.close();
    result.total = since(start);
    return result;
  }
}

}  // namespace ccmcp::mcp
