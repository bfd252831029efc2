// cc-mcp-bridge: serves a stdio MCP server over Streamable HTTP (and the
// older HTTP+SSE transport). The entrypoint of every cc-mcp image.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "bridge/env_file.h"
#include "bridge/gateway.h"
#include "bridge/http_server.h"
#include "bridge/router.h"
#include "util/unique_fd.h"
#include "version.h"

namespace {

using namespace ccmcp::bridge;

constexpr const char* kUsage = R"(usage: cc-mcp-bridge [OPTIONS] -- COMMAND [ARGS...]

Runs COMMAND (a stdio MCP server) and serves it over Streamable HTTP on
http://HOST:PORT/mcp, and over the older HTTP+SSE transport on /sse.
With --unix, the same is served on a unix socket too.

"cc-mcp-bridge gateway --help" tells about the gateway mode (network rules).

Options:
  --port N                   port to listen on (default 3000; 0 picks one)
  --host ADDRESS             address to listen on (default 127.0.0.1; 0.0.0.0 in a container)
  --unix PATH                also listen on a unix socket at PATH (mode 0666; a stale socket
                             there is replaced, removed at exit); the same checks apply
  --shared                   one server process for all sessions (default: one per session)
  --env-file FILE            set the variables of this JSON file ({"env": {...}, "redact":
                             [...]}) in the server's environment, and mask those values in
                             the log (default: $CC_MCP_ENV_FILE, how cc-mcp hands secrets)
  --token-file FILE          require "Authorization: Bearer <the file's content>"
  --allow-host NAME          also accept this Host (repeatable; "*" for any)
  --allow-origin ORIGIN      also accept this Origin (repeatable; "*" for any)
  --max-body SIZE            largest request body (default 4m)
  --max-sessions N           most sessions at once (default 256)
  --max-connections N        most connections at once (default 1024)
  --session-idle-timeout S   end a session after S idle seconds (default 1800)
  --request-timeout S        fail a request the server has not answered in S s (default 300)
  --audit-file PATH          append a JSON line per tools/call, resources/read and prompts/get
                             (never the arguments' values) to PATH; also $CC_MCP_AUDIT_FILE
  --audit-max-size SIZE      rotate the audit file at SIZE (default 10m) into PATH.1 ..
  --audit-keep N             rotated audit files kept (default 3)
  --healthcheck              ask a running bridge on --host/--port (or --unix PATH) for
                             /healthz; exit 0 if healthy
  -v, --verbose              log every request
  --version                  print the version
  -h, --help                 this help
)";

[[noreturn]] void usage_error(const std::string& message) {
  std::fprintf(stderr, "cc-mcp-bridge: error: %s (see cc-mcp-bridge --help)\n", message.c_str());
  std::exit(2);
}

long parse_number(const std::string& option, const std::string& text, long min, long max) {
  char* end = nullptr;
  errno = 0;
  long value = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end || errno || value < min || value > max)
    usage_error(option + ": \"" + text + "\" is not a number from " + std::to_string(min) + " to " +
                std::to_string(max));
  return value;
}

size_t parse_size(const std::string& option, const std::string& text) {
  char* end = nullptr;
  unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  std::string unit = end ? end : "";
  unsigned long long scale = unit.empty() || unit == "b" ? 1
                             : unit == "k"               ? 1ull << 10
                             : unit == "m"               ? 1ull << 20
                             : unit == "g"               ? 1ull << 30
                                                         : 0;
  if (text.empty() || end == text.c_str() || scale == 0 || value == 0)
    usage_error(option + ": \"" + text + "\" is not a size (use e.g. 4m or 512k)");
  return static_cast<size_t>(value * scale);
}

std::string read_token(const std::string& path) {
  std::ifstream in(path);
  if (!in) usage_error("--token-file: cannot read \"" + path + "\"");
  std::stringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.front())))
    token.erase(0, 1);
  if (token.empty()) usage_error("--token-file: \"" + path + "\" is empty");
  return token;
}

// The image's HEALTHCHECK: no curl or shell in the image, so the bridge
// asks itself, over TCP or (with --unix) over the socket.
int healthcheck(const std::string& host, int port, const std::string& unix_path) {
  sockaddr_storage addr{};
  socklen_t addr_len = 0;
  std::string where;
  if (!unix_path.empty()) {
    auto* a = reinterpret_cast<sockaddr_un*>(&addr);
    *a = unix_address(unix_path);  // checked while parsing the options
    addr_len = sizeof *a;
    where = unix_path;
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&addr);
    a->sin_family = AF_INET;
    a->sin_port = htons(static_cast<uint16_t>(port));
    std::string target = host == "0.0.0.0" ? "127.0.0.1" : host;
    ::inet_pton(AF_INET, target.c_str(), &a->sin_addr);
    addr_len = sizeof *a;
    where = target + ":" + std::to_string(port);
  }
  ccmcp::UniqueFd fd(::socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) {
    std::fprintf(stderr, "cc-mcp-bridge: healthcheck: socket: %s\n", std::strerror(errno));
    return 1;
  }
  timeval timeout{3, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), addr_len) != 0) {
    std::fprintf(stderr, "cc-mcp-bridge: healthcheck: nothing listens on %s\n", where.c_str());
    return 1;
  }
  // A name the default Host allow-list accepts, whatever the transport.
  std::string request = std::string("GET /healthz HTTP/1.1\r\nHost: ") +
                        (unix_path.empty() ? "127.0.0.1" : "localhost") +
                        "\r\nConnection: close\r\n\r\n";
  (void)!::write(fd.get(), request.data(), request.size());
  char buffer[512] = {};
  ssize_t n = ::read(fd.get(), buffer, sizeof buffer - 1);
  bool ok = n > 12 && std::strncmp(buffer, "HTTP/1.1 200", 12) == 0;
  std::fprintf(stderr, "cc-mcp-bridge: healthcheck: %s\n", ok ? "healthy" : "unhealthy");
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "gateway") return gateway_main(argc - 1, argv + 1);
  HttpServerOptions http_options;
  RouterOptions router_options;
  AccessPolicy policy;
  bool check_health = false;
  AuditLogOptions audit_options;
  // How cc-mcp asks a container's bridge to audit: the image's entrypoint
  // (the bridge and its options) is fixed, its environment is not. Taken
  // out, so that the server never sees it.
  if (const char* path = std::getenv("CC_MCP_AUDIT_FILE")) {
    audit_options.path = path;
    ::unsetenv("CC_MCP_AUDIT_FILE");
  }
  const char* env_file_variable = std::getenv(kEnvFileVariable);
  std::string env_file = env_file_variable ? env_file_variable : "";
  int i = 1;
  auto value = [&](const std::string& option) -> std::string {
    if (i + 1 >= argc) usage_error(option + " needs a value");
    return argv[++i];
  };
  for (; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      ++i;
      break;
    }
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg == "--version") {
      std::puts("cc-mcp-bridge " CCMCP_VERSION);
      return 0;
    }
    if (arg == "--port")
      http_options.port = static_cast<int>(parse_number(arg, value(arg), 0, 65535));
    else if (arg == "--host")
      http_options.host = value(arg);
    else if (arg == "--unix") {
      http_options.unix_path = value(arg);
      try {
        unix_address(http_options.unix_path);
      } catch (const std::exception& e) {
        usage_error(e.what());
      }
    } else if (arg == "--shared")
      router_options.shared = true;
    else if (arg == "--env-file")
      env_file = value(arg);
    else if (arg == "--token-file")
      policy.token = read_token(value(arg));
    else if (arg == "--allow-host")
      policy.allowed_hosts.push_back(value(arg));
    else if (arg == "--allow-origin")
      policy.allowed_origins.push_back(value(arg));
    else if (arg == "--max-body")
      http_options.limits.max_body_bytes = parse_size(arg, value(arg));
    else if (arg == "--max-sessions")
      router_options.max_sessions = static_cast<size_t>(parse_number(arg, value(arg), 1, 1000000));
    else if (arg == "--max-connections")
      http_options.max_connections = static_cast<size_t>(parse_number(arg, value(arg), 1, 1000000));
    else if (arg == "--session-idle-timeout")
      router_options.session_idle_timeout_ms = parse_number(arg, value(arg), 1, 86400 * 30) * 1000;
    else if (arg == "--request-timeout")
      router_options.request_timeout_ms = parse_number(arg, value(arg), 1, 86400) * 1000;
    else if (arg == "--audit-file")
      audit_options.path = value(arg);
    else if (arg == "--audit-max-size")
      audit_options.max_bytes = parse_size(arg, value(arg));
    else if (arg == "--audit-keep")
      audit_options.keep = static_cast<int>(parse_number(arg, value(arg), 1, 100));
    else if (arg == "--healthcheck")
      check_health = true;
    else if (arg == "-v" || arg == "--verbose")
      ++router_options.verbose;
    else
      usage_error("unknown option \"" + arg + "\"");
  }
  if (check_health)
    return healthcheck(http_options.host, http_options.port, http_options.unix_path);
  for (; i < argc; ++i) router_options.command.push_back(argv[i]);
  if (router_options.command.empty()) usage_error("no server command given after --");

  if (!env_file.empty()) {
    try {
      redact_stderr(load_env_file(env_file));
    } catch (const std::exception& e) {
      std::fprintf(stderr, "cc-mcp-bridge: error: %s\n", e.what());
      return 1;
    }
  }
  std::signal(SIGPIPE, SIG_IGN);  // a closed socket or pipe is an error code, not death
  try {
    std::optional<AuditLog> audit;
    if (!audit_options.path.empty()) {
      audit.emplace(audit_options);
      router_options.audit = &*audit;
    }
    EventLoop loop;
    HttpServer http(loop, http_options);
    Router router(loop, http, router_options, policy);
    http.on_request([&](ConnectionId c, HttpRequest& request) { router.handle(c, request); });
    http.on_close([&](ConnectionId c) { router.connection_closed(c); });
    http.on_drain([&](ConnectionId c) { router.connection_drained(c); });
    loop.on_signals({SIGCHLD, SIGTERM, SIGINT}, [&](int signal) {
      if (signal == SIGCHLD) {
        int status = 0;
        pid_t pid;
        while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) router.child_exited(pid, status);
        return;
      }
      router.shutdown();
      loop.stop();
    });
    loop.on_tick(1000, [&] {
      http.tick();
      router.tick();
    });
    http.listen();
    // Before the serving line, which stays the last one at start-up.
    if (audit) std::fprintf(stderr, "cc-mcp-bridge: audit log %s\n", audit_options.path.c_str());
    std::string also =
        http_options.unix_path.empty() ? "" : " and on unix socket " + http_options.unix_path;
    std::fprintf(stderr, "cc-mcp-bridge: serving %s on http://%s:%d/mcp%s (%s)\n",
                 router_options.command[0].c_str(), http_options.host.c_str(), http.bound_port(),
                 also.c_str(),
                 router_options.shared ? "one shared server" : "one server per session");
    loop.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cc-mcp-bridge: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
