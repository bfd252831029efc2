#include "bridge/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace ccmcp::bridge {

struct HttpServer::Connection {
  ConnectionId id = 0;
  UniqueFd fd;
  HttpRequestParser parser;
  std::string input;  // read but not yet parsed (pipelined requests)
  std::string output;
  size_t output_offset = 0;
  bool busy = false;       // a request is being answered
  bool streaming = false;  // an SSE stream is open
  bool keep_alive = true;
  bool close_when_flushed = false;
  bool want_write = false;
  bool processing = false;         // inside process_input: answers given meanwhile must not recurse
  int64_t request_started_ms = 0;  // first byte of the request in progress, 0 if none
  int64_t last_activity_ms = 0;
  int64_t last_ping_ms = 0;
  // Answered with "Connection: close" and half-closed: what the client still
  // sends (the rest of a body over the limit) is read and thrown away until
  // it closes, because closing with unread input sends a reset that can
  // destroy the answer before the client has read it.
  int64_t lingering_since_ms = 0;
  size_t lingering_discarded = 0;

  explicit Connection(HttpLimits limits) : parser(limits) {}
};

const char* status_text(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

HttpServer::HttpServer(EventLoop& loop, HttpServerOptions options)
    : loop_(loop), options_(std::move(options)) {}

HttpServer::~HttpServer() = default;

void HttpServer::listen() {
  listen_tcp();
  if (!options_.unix_path.empty()) listen_unix();
}

void HttpServer::listen_tcp() {
  bool v6 = options_.host.find(':') != std::string::npos;
  listener_.reset(::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!listener_) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  int one = 1;
  ::setsockopt(listener_.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_storage addr{};
  socklen_t len = 0;
  if (v6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&addr);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(static_cast<uint16_t>(options_.port));
    if (::inet_pton(AF_INET6, options_.host.c_str(), &a->sin6_addr) != 1)
      throw std::runtime_error("--host " + options_.host + " is not an IP address");
    len = sizeof *a;
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&addr);
    a->sin_family = AF_INET;
    a->sin_port = htons(static_cast<uint16_t>(options_.port));
    if (::inet_pton(AF_INET, options_.host.c_str(), &a->sin_addr) != 1)
      throw std::runtime_error("--host " + options_.host + " is not an IP address");
    len = sizeof *a;
  }
  if (::bind(listener_.get(), reinterpret_cast<sockaddr*>(&addr), len) != 0)
    throw std::runtime_error("cannot listen on " + options_.host + ":" +
                             std::to_string(options_.port) + ": " + std::strerror(errno));
  if (::listen(listener_.get(), 1024) != 0)
    throw std::runtime_error(std::string("listen: ") + std::strerror(errno));
  sockaddr_storage bound{};
  socklen_t bound_len = sizeof bound;
  ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&bound), &bound_len);
  bound_port_ = ntohs(v6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                         : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  loop_.add(listener_.get(), EPOLLIN, [this](uint32_t) { accept_all(listener_.get(), true); });
}

sockaddr_un unix_address(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.empty()) throw std::runtime_error("--unix needs a path");
  // One byte is kept for the terminating NUL: Linux accepts a path that
  // fills sun_path exactly, but then it has no NUL, which clients (and
  // other systems) do not all handle.
  if (path.size() >= sizeof addr.sun_path)
    throw std::runtime_error("--unix " + path + ": the path is " + std::to_string(path.size()) +
                             " bytes, a unix socket's path can have at most " +
                             std::to_string(sizeof addr.sun_path - 1));
  std::memcpy(addr.sun_path, path.data(), path.size());
  return addr;
}

namespace {

// What is at `path` before the bridge binds there. A socket nobody listens
// on is what a bridge that was killed leaves: it is removed, or the bind
// fails for ever after. A socket someone listens on belongs to a running
// bridge, and anything else is a file the user wants: both are refused.
void clear_stale_socket(const std::string& path, const sockaddr_un& addr) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return;
    throw std::runtime_error("--unix " + path + ": " + std::strerror(errno));
  }
  if (!S_ISSOCK(st.st_mode))
    throw std::runtime_error("--unix " + path +
                             ": a file that is not a socket is in the way (not removing it)");
  UniqueFd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!probe) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  // Non-blocking, so a live listener with a full backlog answers EAGAIN
  // instead of holding the start-up.
  if (::connect(probe.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0 ||
      errno == EAGAIN || errno == EINPROGRESS)
    throw std::runtime_error("--unix " + path + ": another process is listening on it");
  if (errno != ECONNREFUSED)
    throw std::runtime_error("--unix " + path +
                             ": cannot tell whether it is in use: " + std::strerror(errno));
  if (::unlink(path.c_str()) != 0 && errno != ENOENT)
    throw std::runtime_error("--unix " + path +
                             ": cannot remove the stale socket: " + std::strerror(errno));
}

}  // namespace

void HttpServer::listen_unix() {
  const std::string& path = options_.unix_path;
  sockaddr_un addr = unix_address(path);
  clear_stale_socket(path, addr);
  unix_listener_.reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!unix_listener_) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  if (::bind(unix_listener_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    throw std::runtime_error("cannot listen on unix socket " + path + ": " + std::strerror(errno));
  socket_file_.adopt(path);
  // The bridge runs as its own uid in a container (1001) and the client on
  // the host as another; connecting needs write permission on the socket.
  // Who may reach it at all is the folder's permissions (and the token).
  if (::chmod(path.c_str(), 0666) != 0)
    throw std::runtime_error("chmod " + path + ": " + std::strerror(errno));
  if (::listen(unix_listener_.get(), 1024) != 0)
    throw std::runtime_error(std::string("listen: ") + std::strerror(errno));
  loop_.add(unix_listener_.get(), EPOLLIN,
            [this](uint32_t) { accept_all(unix_listener_.get(), false); });
}

void SocketFile::adopt(const std::string& path) {
  remove();
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return;
  path_ = path;
  device_ = st.st_dev;
  inode_ = st.st_ino;
}

void SocketFile::remove() {
  if (path_.empty()) return;
  struct stat st {};
  if (::lstat(path_.c_str(), &st) == 0 && st.st_dev == device_ && st.st_ino == inode_)
    ::unlink(path_.c_str());
  path_.clear();
}

void HttpServer::accept_all(int listener, bool tcp) {
  for (;;) {
    int fd = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;  // EAGAIN, or out of fds: try again on the next event
    }
    if (connections_.size() >= options_.max_connections) {
      static const char busy[] =
          "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      (void)!::write(fd, busy, sizeof busy - 1);
      ::close(fd);
      continue;
    }
    if (tcp) {
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    auto c = std::make_unique<Connection>(options_.limits);
    c->id = next_id_++;
    c->fd.reset(fd);
    c->last_activity_ms = monotonic_ms();
    ConnectionId id = c->id;
    Connection* raw = c.get();
    connections_[id] = std::move(c);
    loop_.add(fd, EPOLLIN | EPOLLRDHUP, [this, id, raw](uint32_t events) {
      if (!connections_.count(id)) return;
      if (events & (EPOLLERR | EPOLLHUP)) return drop(id);
      if (events & EPOLLOUT) on_writable(*raw);
      if (!connections_.count(id)) return;
      if (events & (EPOLLIN | EPOLLRDHUP)) on_readable(*raw);
    });
  }
}

namespace {
constexpr int64_t kLingerMs = 2'000;
constexpr size_t kLingerMaxBytes = 64u << 20;
}  // namespace

void HttpServer::on_readable(Connection& c) {
  if (c.lingering_since_ms) return discard_input(c);
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(c.fd.get(), buffer, sizeof buffer);
    if (n > 0) {
      c.last_activity_ms = monotonic_ms();
      c.input.append(buffer, static_cast<size_t>(n));
      // A busy connection (answer pending, or a stream open) keeps what
      // arrives for later, up to one request's worth; more is abuse. An idle
      // one parses first: a fast writer (a unix socket fills 64 KiB reads
      // back to back) must get its 413 for a body over the limit, not a
      // dropped connection because it was read faster than it was parsed.
      if (c.input.size() >
          options_.limits.max_body_bytes + options_.limits.max_header_bytes + 65536) {
        if (c.close_when_flushed) {  // answered and closing: the rest is thrown away
          c.input.clear();
          continue;
        }
        if (c.busy) return drop(c.id);
        ConnectionId id = c.id;
        process_input(c);
        if (!connections_.count(id)) return;
        if (c.lingering_since_ms) return discard_input(c);
        if (c.input.size() >
            options_.limits.max_body_bytes + options_.limits.max_header_bytes + 65536)
          return drop(c.id);
      }
      if (static_cast<size_t>(n) < sizeof buffer) break;
      continue;
    }
    if (n == 0) return drop(c.id);  // the client went away
    if (errno == EINTR) continue;
    if (errno == EAGAIN) break;
    return drop(c.id);
  }
  process_input(c);
}

void HttpServer::discard_input(Connection& c) {
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(c.fd.get(), buffer, sizeof buffer);
    if (n > 0) {
      c.lingering_discarded += static_cast<size_t>(n);
      if (c.lingering_discarded > kLingerMaxBytes) return drop(c.id);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    return drop(c.id);  // closed by the client (or failed): done
  }
}

void HttpServer::start_lingering(Connection& c) {
  if (::shutdown(c.fd.get(), SHUT_WR) != 0) return drop(c.id);
  c.lingering_since_ms = monotonic_ms();
  c.input.clear();
  if (c.want_write) {
    c.want_write = false;
    loop_.modify(c.fd.get(), EPOLLIN | EPOLLRDHUP);
  }
  discard_input(c);
}

void HttpServer::process_input(Connection& c) {
  if (c.processing) return;
  ConnectionId id = c.id;
  c.processing = true;
  struct Reset {
    HttpServer* server;
    ConnectionId id;
    ~Reset() {
      auto it = server->connections_.find(id);
      if (it != server->connections_.end()) it->second->processing = false;
    }
  } reset{this, id};
  while (connections_.count(id) && !c.busy && !c.input.empty()) {
    if (c.request_started_ms == 0) c.request_started_ms = monotonic_ms();
    size_t used = c.parser.feed(c.input);
    c.input.erase(0, used);
    switch (c.parser.state()) {
      case ParseState::need_more:
        return;
      case ParseState::expect_continue:
        queue(c, "HTTP/1.1 100 Continue\r\n\r\n");
        c.parser.continue_sent();
        continue;
      case ParseState::error: {
        int status = c.parser.error_status();
        std::string body = c.parser.error_reason() + "\n";
        c.busy = true;
        c.keep_alive = false;
        respond(id, status, {{"Content-Type", "text/plain"}}, body);
        return;
      }
      case ParseState::complete: {
        HttpRequest request = c.parser.take();
        c.busy = true;
        c.keep_alive = request.keep_alive;
        c.request_started_ms = 0;
        on_request_(id, request);
        break;  // the handler may have answered (and freed the connection) already
      }
    }
  }
}

void HttpServer::queue(Connection& c, std::string data) {
  if (c.output_offset == c.output.size()) {
    c.output = std::move(data);
    c.output_offset = 0;
  } else {
    // Drop what the client has already read before growing the buffer, so
    // that a stream read slowly but steadily does not keep it all.
    if (c.output_offset > (1u << 20) && c.output_offset * 2 > c.output.size()) {
      c.output.erase(0, c.output_offset);
      c.output_offset = 0;
    }
    c.output += data;
  }
  flush(c);
}

void HttpServer::flush(Connection& c) {
  while (c.output_offset < c.output.size()) {
    ssize_t n = ::send(c.fd.get(), c.output.data() + c.output_offset,
                       c.output.size() - c.output_offset, MSG_NOSIGNAL);
    if (n > 0) {
      c.output_offset += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) break;
    return drop(c.id);
  }
  bool pending = c.output_offset < c.output.size();
  if (pending && c.output.size() - c.output_offset > options_.max_buffered_output)
    return drop(c.id);  // not reading what it asked for: cut it off
  if (!pending) {
    c.output.clear();
    c.output_offset = 0;
    if (c.close_when_flushed) return start_lingering(c);
  }
  if (pending != c.want_write) {
    c.want_write = pending;
    loop_.modify(c.fd.get(),
                 EPOLLIN | EPOLLRDHUP | (pending ? static_cast<uint32_t>(EPOLLOUT) : 0u));
    if (!pending && on_drain_) on_drain_(c.id);
  }
}

void HttpServer::on_writable(Connection& c) {
  flush(c);
}

namespace {
std::string head(int status, const Headers& headers, bool keep_alive) {
  std::string text = "HTTP/1.1 " + std::to_string(status) + " " + status_text(status) + "\r\n";
  for (const auto& [name, value] : headers) text += name + ": " + value + "\r\n";
  if (!keep_alive) text += "Connection: close\r\n";
  return text;
}
}  // namespace

bool HttpServer::respond(ConnectionId id, int status, const Headers& headers,
                         const std::string& body) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return false;
  Connection& c = *it->second;
  std::string text = head(status, headers, c.keep_alive);
  text += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  text += body;
  finish_response(c);
  queue(c, std::move(text));
  if (connections_.count(id)) process_input(c);
  return true;
}

bool HttpServer::start_stream(ConnectionId id, const Headers& headers) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return false;
  Connection& c = *it->second;
  Headers all = headers;
  all.emplace_back("Content-Type", "text/event-stream");
  all.emplace_back("Cache-Control", "no-cache");
  all.emplace_back("Transfer-Encoding", "chunked");
  c.streaming = true;
  c.last_ping_ms = monotonic_ms();
  queue(c, head(200, all, true) + "\r\n");
  return connections_.count(id) > 0;
}

namespace {
std::string chunk(const std::string& data) {
  char size[20];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return size + data + "\r\n";
}
}  // namespace

bool HttpServer::send_event(ConnectionId id, const std::string& event, const std::string& data) {
  auto it = connections_.find(id);
  if (it == connections_.end() || !it->second->streaming) return false;
  std::string text;
  text.reserve(data.size() + 32);
  if (!event.empty()) text += "event: " + event + "\n";
  // A data line cannot hold a newline: each line of the payload is its own
  // data field (JSON from us has none, but pass-through text may).
  size_t start = 0;
  for (;;) {
    size_t nl = data.find('\n', start);
    text += "data: ";
    text.append(data, start, nl == std::string::npos ? std::string::npos : nl - start);
    text += "\n";
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  text += "\n";
  queue(*it->second, chunk(text));
  return connections_.count(id) > 0;
}

bool HttpServer::end_stream(ConnectionId id) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return false;
  Connection& c = *it->second;
  if (!c.streaming) return false;
  c.streaming = false;
  finish_response(c);
  queue(c, "0\r\n\r\n");
  if (connections_.count(id)) process_input(c);
  return true;
}

void HttpServer::finish_response(Connection& c) {
  c.busy = false;
  c.last_activity_ms = monotonic_ms();
  if (!c.keep_alive) {
    c.close_when_flushed = true;
    c.input.clear();
  }
}

bool HttpServer::is_streaming(ConnectionId id) const {
  auto it = connections_.find(id);
  return it != connections_.end() && it->second->streaming;
}

size_t HttpServer::buffered(ConnectionId id) const {
  auto it = connections_.find(id);
  if (it == connections_.end()) return 0;
  return it->second->output.size() - it->second->output_offset;
}

void HttpServer::drop(ConnectionId id) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return;
  std::unique_ptr<Connection> c = std::move(it->second);
  connections_.erase(it);
  loop_.remove(c->fd.get());
  if (on_close_) on_close_(id);
}

void HttpServer::tick() {
  int64_t now = monotonic_ms();
  std::vector<ConnectionId> expired;
  std::vector<ConnectionId> to_ping;
  for (auto& [id, c] : connections_) {
    if (c->lingering_since_ms) {
      if (now - c->lingering_since_ms > kLingerMs) expired.push_back(id);
    } else if (c->streaming) {
      if (now - c->last_ping_ms >= options_.sse_ping_interval_ms) to_ping.push_back(id);
    } else if (c->request_started_ms && now - c->request_started_ms > options_.request_timeout_ms) {
      expired.push_back(id);  // too slow to send one request
    } else if (!c->busy && c->input.empty() &&
               now - c->last_activity_ms > options_.keepalive_timeout_ms) {
      expired.push_back(id);
    }
  }
  for (ConnectionId id : expired) drop(id);
  for (ConnectionId id : to_ping) {
    auto it = connections_.find(id);
    if (it == connections_.end()) continue;
    it->second->last_ping_ms = now;
    queue(*it->second, chunk(": ping\n\n"));
  }
}

}  // namespace ccmcp::bridge
