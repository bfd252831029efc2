// The bridge's HTTP/1.1 side: accepts connections, parses requests, and
// writes responses, either whole (JSON) or as a Server-Sent Events stream
// (chunked). Every connection is named by a number, never a pointer, so a
// reply for a connection that has gone is simply dropped.
//
// Slow or hostile clients cannot hold the bridge: a request must arrive
// within request_timeout, an idle keep-alive connection is closed, and a
// client that does not read what it is sent is cut off once its buffer
// passes max_buffered_output.
//
// Besides TCP it can listen on a unix stream socket (unix_path): a server
// in a container with no network at all is still reached from the host,
// through a socket file in a bind-mounted folder. Both listeners feed the
// same connections, so every check and limit applies to both alike.
#pragma once

#include <sys/types.h>
#include <sys/un.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "bridge/event_loop.h"
#include "bridge/http_request_parser.h"

namespace ccmcp::bridge {

using ConnectionId = uint64_t;
using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 3000;
  std::string unix_path;  // also listen on a unix socket here; empty: TCP only
  HttpLimits limits;
  size_t max_connections = 1024;
  int64_t request_timeout_ms = 10'000;     // to receive one whole request
  int64_t keepalive_timeout_ms = 60'000;   // idle between requests
  int64_t sse_ping_interval_ms = 20'000;   // comment lines keep streams alive
  size_t max_buffered_output = 32u << 20;  // per connection
};

// The address of a unix socket at `path`; throws std::runtime_error when
// the path is empty or too long for sun_path.
sockaddr_un unix_address(const std::string& path);

// The file of a unix socket this process bound: removed when it goes, but
// only while it is still that socket (another bridge may since have
// replaced it, and its file is not ours to remove).
class SocketFile {
 public:
  SocketFile() = default;
  SocketFile(const SocketFile&) = delete;
  SocketFile& operator=(const SocketFile&) = delete;
  ~SocketFile() { remove(); }

  // Takes charge of the socket just bound at `path`.
  void adopt(const std::string& path);
  void remove();

 private:
  std::string path_;
  dev_t device_ = 0;
  ino_t inode_ = 0;
};

class HttpServer {
 public:
  // Called once per complete request. The handler answers now or later
  // through respond()/start_stream(); until then the connection reads no
  // further request.
  using RequestHandler = std::function<void(ConnectionId, HttpRequest&)>;
  using CloseHandler = std::function<void(ConnectionId)>;
  using DrainHandler = std::function<void(ConnectionId)>;

  HttpServer(EventLoop& loop, HttpServerOptions options);
  ~HttpServer();
  // Binds and listens (TCP, and the unix socket if one is asked for);
  // throws std::runtime_error with a clear message.
  void listen();
  int bound_port() const { return bound_port_; }

  void on_request(RequestHandler handler) { on_request_ = std::move(handler); }
  void on_close(CloseHandler handler) { on_close_ = std::move(handler); }
  // Called when a connection that had output waiting has sent all of it.
  void on_drain(DrainHandler handler) { on_drain_ = std::move(handler); }

  // A whole response. Returns false when the connection is gone.
  bool respond(ConnectionId id, int status, const Headers& headers, const std::string& body);
  // Starts an SSE stream (200, text/event-stream, chunked).
  bool start_stream(ConnectionId id, const Headers& headers);
  // One SSE event: "event: <name>" (unless empty) and "data: <data>".
  bool send_event(ConnectionId id, const std::string& event, const std::string& data);
  // Ends a stream; the connection is then free for the next request.
  bool end_stream(ConnectionId id);

  bool is_open(ConnectionId id) const { return connections_.count(id) > 0; }
  bool is_streaming(ConnectionId id) const;
  // Bytes queued for a connection that it has not read yet.
  size_t buffered(ConnectionId id) const;

  // Drives timeouts and stream pings; call about once a second.
  void tick();

 private:
  struct Connection;
  void listen_tcp();
  void listen_unix();
  void accept_all(int listener, bool tcp);
  void on_readable(Connection& c);
  void on_writable(Connection& c);
  void process_input(Connection& c);
  void queue(Connection& c, std::string data);
  void flush(Connection& c);
  void finish_response(Connection& c);
  void start_lingering(Connection& c);
  void discard_input(Connection& c);
  void drop(ConnectionId id);

  EventLoop& loop_;
  HttpServerOptions options_;
  UniqueFd listener_;
  UniqueFd unix_listener_;
  // After unix_listener_: destroyed first, so the file goes before the socket.
  SocketFile socket_file_;
  int bound_port_ = 0;
  ConnectionId next_id_ = 1;
  std::map<ConnectionId, std::unique_ptr<Connection>> connections_;
  RequestHandler on_request_;
  CloseHandler on_close_;
  DrainHandler on_drain_;
};

const char* status_text(int status);

}  // namespace ccmcp::bridge
