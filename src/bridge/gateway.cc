#include "bridge/gateway.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "util/unique_fd.h"

namespace ccmcp::bridge {

namespace {

constexpr size_t kMaxHead = 16 * 1024;
constexpr int kHeadTimeoutMs = 30'000;
constexpr int kConnectTimeoutMs = 10'000;

std::atomic<size_t> open_connections{0};

void say(const std::string& text) {
  std::fprintf(stderr, "cc-mcp-gateway: %s\n", text.c_str());
}

UniqueFd listen_on(int port) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  int on = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_ANY);  // inside the container only
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(fd.get(), 128) != 0)
    throw std::runtime_error("cannot listen on port " + std::to_string(port) + ": " +
                             std::strerror(errno));
  return fd;
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void no_delay(int fd) {
  int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

// A connected socket to host:port (every address the name has, in turn), or
// an empty one with `problem` saying why not.
UniqueFd connect_to(const std::string& host, int port, std::string& problem) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  if (int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    problem = "cannot resolve " + host + ": " + ::gai_strerror(rc);
    return {};
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owner(found, ::freeaddrinfo);
  problem = "cannot connect to " + host + ":" + service;
  for (addrinfo* at = found; at; at = at->ai_next) {
    UniqueFd fd(::socket(at->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!fd) continue;
    int rc = ::connect(fd.get(), at->ai_addr, at->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      pollfd wait{fd.get(), POLLOUT, 0};
      rc = ::poll(&wait, 1, kConnectTimeoutMs) == 1 ? 0 : -1;
      int error = rc == 0 ? 0 : ETIMEDOUT;
      socklen_t length = sizeof error;
      if (rc == 0) ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &length);
      errno = error;
      rc = error == 0 ? 0 : -1;
    }
    if (rc != 0) {
      problem += std::string(": ") + std::strerror(errno);
      continue;
    }
    ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) & ~O_NONBLOCK);
    no_delay(fd.get());
    return fd;
  }
  return {};
}

// Copies both ways until both sides have finished; a side's end of input is
// passed on as a half-close, so request/response protocols end cleanly.
void pump(int a, int b) {
  pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
  char buffer[64 * 1024];
  int open = 2;
  while (open > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      int other = i == 0 ? b : a;
      ssize_t n = ::recv(fds[i].fd, buffer, sizeof buffer, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        if (n < 0) return;  // reset: nothing sensible to finish
        ::shutdown(other, SHUT_WR);
        fds[i].fd = -1;
        --open;
        continue;
      }
      if (!write_all(other, std::string_view(buffer, static_cast<size_t>(n)))) return;
    }
  }
}

void respond(int fd, int code, const char* reason, const std::string& text) {
  std::string answer = "HTTP/1.1 " + std::to_string(code) + " " + reason +
                       "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
                       std::to_string(text.size()) + "\r\nConnection: close\r\n\r\n" + text;
  write_all(fd, answer);
}

// The request head (through the blank line) in `head`, what came after it in
// `rest`. False on timeout, a closed connection or a head too large.
bool read_head(int fd, std::string& head, std::string& rest) {
  std::string data;
  char buffer[4096];
  while (data.size() <= kMaxHead) {
    pollfd wait{fd, POLLIN, 0};
    if (::poll(&wait, 1, kHeadTimeoutMs) != 1) return false;
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.append(buffer, static_cast<size_t>(n));
    if (size_t end = data.find("\r\n\r\n"); end != std::string::npos) {
      head = data.substr(0, end + 4);
      rest = data.substr(end + 4);
      return true;
    }
  }
  return false;
}

void relay_connection(UniqueFd client, const GatewayOptions& options) {
  std::string problem;
  UniqueFd server = connect_to(options.relay_host, options.relay_port, problem);
  if (!server) {
    say("relay: " + problem);
    respond(client.get(), 502, "Bad Gateway",
            "cc-mcp gateway: the server's container does not answer (" + problem + ")\n");
    return;
  }
  no_delay(client.get());
  pump(client.get(), server.get());
}

void egress_connection(UniqueFd client, const GatewayOptions& options) {
  std::string head, rest, problem;
  if (!read_head(client.get(), head, rest)) {
    respond(client.get(), 400, "Bad Request", "cc-mcp egress proxy: no complete request head\n");
    return;
  }
  auto request = parse_proxy_request(head, problem);
  if (!request) {
    say("egress refused: " + problem);
    respond(client.get(), 400, "Bad Request", "cc-mcp egress proxy: " + problem + "\n");
    return;
  }
  std::string target = request->host + ":" + std::to_string(request->port);
  if (!is_allowed(options.allow, request->host, request->port)) {
    say("egress refused: " + target + " (not in the allow-list)");
    respond(client.get(), 403, "Forbidden",
            "cc-mcp egress proxy: " + target +
                " is not in this server's allow-list (add it to \"network\": {\"allow\": [...]} "
                "in mcp.json)\n");
    return;
  }
  UniqueFd server = connect_to(request->host, request->port, problem);
  if (!server) {
    say("egress to " + target + " failed: " + problem);
    respond(client.get(), 502, "Bad Gateway", "cc-mcp egress proxy: " + problem + "\n");
    return;
  }
  if (options.verbose) say("egress: " + target);
  bool sent = request->tunnel
                  ? write_all(client.get(), "HTTP/1.1 200 Connection established\r\n\r\n")
                  : write_all(server.get(), request->origin_head);
  if (!sent || (!rest.empty() && !write_all(server.get(), rest))) return;
  no_delay(client.get());
  pump(client.get(), server.get());
}

// A connection to an allowed destination's own port: to the only name
// allowed there, or to the name its first bytes ask for, if allowed.
void transparent_connection(UniqueFd client, const GatewayOptions& options, int port) {
  std::vector<std::string> hosts = named_hosts_on(options.allow, port);
  std::string host = hosts.size() == 1 ? hosts.front() : std::string();
  if (host.empty()) {
    char buffer[kMaxHead];
    Sniffed sniffed;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kHeadTimeoutMs);
    for (;;) {
      pollfd wait{client.get(), POLLIN, 0};
      int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      deadline - std::chrono::steady_clock::now())
                                      .count());
      if (left <= 0 || ::poll(&wait, 1, left) != 1) return;
      ssize_t n = ::recv(client.get(), buffer, sizeof buffer, MSG_PEEK);
      if (n <= 0) return;
      sniffed = sniff_destination(std::string_view(buffer, static_cast<size_t>(n)));
      if (sniffed.result != Sniff::need_more || static_cast<size_t>(n) == sizeof buffer) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // more of it is on its way
    }
    if (sniffed.result == Sniff::name &&
        std::find(hosts.begin(), hosts.end(), sniffed.name) != hosts.end())
      host = sniffed.name;
    if (host.empty()) {
      say("egress refused: a connection to port " + std::to_string(port) +
          (sniffed.result == Sniff::name ? " for " + sniffed.name
                                         : std::string(" naming no host")) +
          " (not in the allow-list)");
      return;
    }
  }
  std::string problem;
  UniqueFd server = connect_to(host, port, problem);
  if (!server) {
    say("egress to " + host + ":" + std::to_string(port) + " failed: " + problem);
    return;
  }
  if (options.verbose) say("egress (direct): " + host + ":" + std::to_string(port));
  no_delay(client.get());
  pump(client.get(), server.get());
}

enum class Kind { relay, egress, transparent };

void accept_loop(int listen_fd, const GatewayOptions& options, Kind kind, int port) {
  for (;;) {
    int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        continue;
      }
      say(std::string("accept: ") + std::strerror(errno));
      return;
    }
    UniqueFd client(fd);
    if (open_connections.load() >= options.max_connections) continue;  // closed: too many
    ++open_connections;
    std::thread([client = std::move(client), &options, kind, port]() mutable {
      switch (kind) {
        case Kind::relay:
          relay_connection(std::move(client), options);
          break;
        case Kind::egress:
          egress_connection(std::move(client), options);
          break;
        case Kind::transparent:
          transparent_connection(std::move(client), options, port);
          break;
      }
      --open_connections;
    }).detach();
  }
}

void exit_now(int) {
  ::_exit(0);
}

}  // namespace

int run_gateway(const GatewayOptions& options) {
  std::signal(SIGPIPE, SIG_IGN);
  // A handler of its own: as PID 1 of a container, a signal left at its
  // default would be ignored and `docker stop` would wait for SIGKILL.
  struct sigaction action {};
  action.sa_handler = exit_now;
  ::sigaction(SIGTERM, &action, nullptr);
  ::sigaction(SIGINT, &action, nullptr);

  UniqueFd relay = listen_on(options.listen_port);
  UniqueFd egress;
  if (options.egress_port) egress = listen_on(options.egress_port);
  std::vector<std::pair<int, UniqueFd>> direct;
  if (options.transparent)
    for (int port : transparent_ports(options.allow))
      if (port != options.listen_port && port != options.egress_port)
        direct.emplace_back(port, listen_on(port));
  std::string what = "relaying port " + std::to_string(options.listen_port) + " to " +
                     options.relay_host + ":" + std::to_string(options.relay_port);
  if (options.egress_port)
    what += "; egress proxy on port " + std::to_string(options.egress_port) + " for " +
            std::to_string(options.allow.size()) + " allowed destination" +
            (options.allow.size() == 1 ? "" : "s");
  else
    what += "; no egress";
  if (!direct.empty()) {
    what += "; direct on port";
    for (const auto& [port, fd] : direct) what += " " + std::to_string(port);
  }
  say(what);
  std::vector<std::thread> threads;
  if (egress)
    threads.emplace_back(accept_loop, egress.get(), std::cref(options), Kind::egress,
                         options.egress_port);
  for (const auto& [port, fd] : direct)
    threads.emplace_back(accept_loop, fd.get(), std::cref(options), Kind::transparent, port);
  accept_loop(relay.get(), options, Kind::relay, options.listen_port);
  for (auto& thread : threads) thread.join();
  return 1;
}

}  // namespace ccmcp::bridge
