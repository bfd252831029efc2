// The Streamable HTTP transport of MCP (2025-11-25), client side, one
// exchange at a time: POST a message and read every message of the answer
// (one JSON body, or an SSE stream parsed as it arrives), GET the session's
// stream of server-initiated messages, DELETE the session. It keeps the
// session id and protocol version for the headers; it matches no ids
// (HttpSession does that; `cc-mcp connect` forwards messages as they are).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "mcp/jsonrpc.h"
#include "net/http_client.h"
#include "util/error.h"

namespace ccmcp::mcp {

// Why an exchange had no usable answer.
enum class TransportFailure {
  unreachable,      // nothing listens, or the connection was refused
  session_expired,  // 404 for our session: the server restarted or ended it
  unavailable,      // 502/503: up, but cannot serve yet (starting, overloaded)
  http_status,      // any other error status
  broken,           // the connection broke before the answer was complete
  timed_out,
  cancelled,
};

class TransportError : public Error {
 public:
  TransportError(TransportFailure failure, int status, std::string subject, std::string problem,
                 std::string hint = {});
  TransportFailure failure() const { return failure_; }
  int status() const { return status_; }  // the HTTP status, 0 when there was none

 private:
  TransportFailure failure_;
  int status_;
};

// Gets each message of an answer; returning false stops reading it.
using MessageSink = std::function<bool(Json message)>;

struct Exchange {
  std::chrono::milliseconds timeout{0};  // the whole exchange; 0: none
  const std::atomic<bool>* cancel = nullptr;
  bool with_session = true;  // false for initialize: no Mcp-Session-Id, no version header
};

struct PostAnswer {
  int status = 0;          // 200, or 202 for a notification or response
  bool streamed = false;   // the answer was an SSE stream
  std::string session_id;  // the Mcp-Session-Id header of the answer, if any
};

class HttpTransport {
 public:
  HttpTransport(std::string url, std::shared_ptr<net::HttpClient> http);

  const std::string& url() const { return url_; }

  // POSTs one JSON-RPC message (serialized); every message of the answer
  // goes to `sink`. Throws TransportError for no answer or an error status.
  PostAnswer post(const std::string& body, const MessageSink& sink, const Exchange& exchange);

  // Opens the session's GET stream and hands `sink` every message until
  // the server ends the stream (returns true) or the sink stops it. Returns
  // false when the server offers no GET stream (405). Throws TransportError.
  bool listen(const MessageSink& sink, const std::atomic<bool>* cancel);

  // DELETEs the session (best effort: a server may refuse with 405, or be
  // gone). Forgets the session either way.
  void end_session(std::chrono::milliseconds timeout = std::chrono::seconds(5));

  std::string session_id() const;
  void set_session_id(std::string id);
  std::string protocol_version() const;
  void set_protocol_version(std::string version);

 private:
  net::HttpRequest request(const std::string& method, bool with_session) const;
  TransportError failure(const net::HttpError& error, const std::string& what) const;
  TransportError status_error(const net::HttpResponse& response, const std::string& body,
                              bool with_session) const;

  std::string url_;
  std::shared_ptr<net::HttpClient> http_;
  mutable std::mutex mutex_;
  std::string session_id_;
  std::string protocol_version_;
};

}  // namespace ccmcp::mcp
