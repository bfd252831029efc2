// null_relay: the least an HTTP -> stdio relay can do, to calibrate what one
// extra hop costs on a machine (bench/bridge-compare shows it as a floor row).
//
//   null_relay PORT COMMAND [ARGS...]
//
// Listens on 127.0.0.1:PORT, runs COMMAND once, and serves one connection at a
// time with blocking I/O: each POST body goes to the child as one line, the
// child's next line comes back as application/json with Content-Length. No
// JSON parsing, no sessions (Mcp-Session-Id is always "x"), no id mapping, no
// validation: not a bridge, and only good for ONE client session.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <spawn.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

extern char** environ;

namespace {

bool write_all(int fd, const std::string& s) {
  for (size_t off = 0; off < s.size();) {
    ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n <= 0) return false;
    off += size_t(n);
  }
  return true;
}

bool read_more(int fd, std::string& into) {
  char buf[65536];
  ssize_t n = ::read(fd, buf, sizeof buf);
  if (n <= 0) return false;
  into.append(buf, size_t(n));
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: null_relay PORT COMMAND [ARGS...]\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  int to_child[2], from_child[2];
  if (pipe(to_child) || pipe(from_child)) return 1;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, to_child[0], 0);
  posix_spawn_file_actions_adddup2(&fa, from_child[1], 1);
  posix_spawn_file_actions_addclose(&fa, to_child[1]);
  posix_spawn_file_actions_addclose(&fa, from_child[0]);
  pid_t pid;
  if (posix_spawnp(&pid, argv[2], &fa, nullptr, argv + 2, environ) != 0) {
    std::fprintf(stderr, "null_relay: cannot run %s\n", argv[2]);
    return 1;
  }
  ::close(to_child[0]);
  ::close(from_child[1]);

  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(uint16_t(std::atoi(argv[1])));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) || ::listen(listener, 16)) {
    std::perror("null_relay: 127.0.0.1");
    return 1;
  }
  std::string from_server;
  for (;;) {
    int c = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) continue;
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::string in;
    for (;;) {
      size_t he;
      bool open = true;
      while (open && (he = in.find("\r\n\r\n")) == std::string::npos) open = read_more(c, in);
      if (!open) break;
      const char* cl = strcasestr(in.c_str(), "\r\ncontent-length:");
      size_t length = cl && size_t(cl - in.c_str()) < he ? std::strtoul(cl + 17, nullptr, 10) : 0;
      while (open && in.size() < he + 4 + length) open = read_more(c, in);
      if (!open) break;
      std::string body = in.substr(he + 4, length);
      bool post = in.compare(0, 5, "POST ") == 0;
      in.erase(0, he + 4 + length);
      std::string response = "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n";
      if (post && body.find("\"id\"") != std::string::npos) {  // a request: wait for its answer
        if (!write_all(to_child[1], body + "\n")) return 1;
        size_t nl;
        while ((nl = from_server.find('\n')) == std::string::npos)
          if (!read_more(from_child[0], from_server)) return 1;
        response =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nMcp-Session-Id: "
            "x\r\nContent-Length: " +
            std::to_string(nl) + "\r\n\r\n" + from_server.substr(0, nl);
        from_server.erase(0, nl + 1);
      }
      if (!write_all(c, response)) break;
    }
    ::close(c);
  }
}
