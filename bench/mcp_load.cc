// mcp_load: a closed-loop load generator for MCP servers (tools/call "echo").
//
//   mcp_load --url http://127.0.0.1:P/mcp [OPTIONS]
//   mcp_load --stdio [OPTIONS] -- CMD ARGS...      (the command comes last)
//   OPTIONS: --sessions N --duration S [--warmup S] [--payload BYTES] [--json]
//            [--threads T] [--timeout S] [--watch-pid PID] [--no-delete]
//   mcp_load --free-port      print a free TCP port on 127.0.0.1 and exit
//
// Every session initializes (keeping its Mcp-Session-Id), sends
// notifications/initialized, then loops: tools/call echo with a unique text
// ("s<session>-<seq>" padded with '.' to --payload bytes) and a unique id
// (numbers and strings alternate), one request in flight per session. Each
// answer's id and text are checked: one that belongs to another session is
// cross-talk, anything else wrong is an error. HTTP is raw HTTP/1.1 keep-alive
// with TCP_NODELAY; answers may be application/json (Content-Length or
// chunked) or text/event-stream. --stdio spawns one child per session and
// speaks newline-delimited JSON-RPC on its pipes (the baseline). Sessions are
// spread over T threads (default 1), each an epoll loop. Exit code: 0, or 1 if
// any error or cross-talk happened, 2 on bad usage or failed set-up.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "mcp_wire.h"

extern char** environ;

namespace {

using Json = nlohmann::json;
using mcp_wire::HttpResponse;
using mcp_wire::Parse;
using Clock = std::chrono::steady_clock;
using Time = Clock::time_point;

struct Options {
  std::string url, host = "127.0.0.1", path = "/mcp", host_header;
  int port = 0;
  std::vector<std::string> command;  // --stdio
  int sessions = 1, threads = 1, payload = 0, watch_pid = 0;
  double duration = 5, warmup = 1, timeout = 10;
  bool json = false, del = true;
} opt;

Time measure_from, measure_to;
std::mutex log_mutex;
std::atomic<int> logged{0};

void note(const std::string& what) {  // the first few problems, for diagnosis
  if (logged.fetch_add(1) >= 8) return;
  std::lock_guard lock(log_mutex);
  std::fprintf(stderr, "mcp_load: %s\n", what.substr(0, 400).c_str());
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "mcp_load: error: %s\n", what.c_str());
  std::exit(2);
}

struct Session {
  int idx = 0;
  int fd = -1, wfd = -1;  // socket (both), or the child's stdout / stdin
  pid_t pid = -1;
  std::string sid, proto = "2025-06-18", in;
  uint64_t seq = 0;
  Json expect_id;
  std::string expect_text;
  Time sent{}, retry_at{}, last_used{};
  bool busy = false, dead = false, eof = false;
  std::vector<uint32_t> lat_ns;
  uint64_t answered = 0, errors = 0, xtalk = 0;
};

// ---- I/O helpers ------------------------------------------------------------

void set_nonblock(int fd) {
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

bool write_all(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n > 0) {
      off += size_t(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, int(opt.timeout * 1000)) <= 0) return false;
      continue;
    }
    return false;
  }
  return true;
}

// Reads what is available; false on EOF or error (s.eof set).
bool read_some(Session& s) {
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(s.fd, buf, sizeof buf);
    if (n > 0) {
      s.in.append(buf, size_t(n));
      if (size_t(n) < sizeof buf) return true;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return true;
    s.eof = true;
    return false;
  }
}

int connect_tcp() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(uint16_t(opt.port));
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  set_nonblock(fd);
  return fd;
}

// ---- one exchange ---------------------------------------------------------------

std::string http_request(const Session& s, const char* method, const std::string& body) {
  std::string r =
      std::string(method) + " " + opt.path + " HTTP/1.1\r\nHost: " + opt.host_header +
      "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n";
  if (!s.sid.empty())
    r += "Mcp-Session-Id: " + s.sid + "\r\nMCP-Protocol-Version: " + s.proto + "\r\n";
  r += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return r;
}

bool send_message(Session& s, const std::string& body, const char* method = "POST") {
  if (opt.command.empty()) return write_all(s.wfd, http_request(s, method, body));
  return write_all(s.wfd, body + "\n");
}

// Takes one complete answer off s.in: an HTTP response, or (stdio) one line
// that is a JSON-RPC response. 1 = got one, 0 = need more, -1 = broken.
int extract(Session& s, std::vector<Json>& msgs, HttpResponse& meta) {
  if (opt.command.empty()) {
    size_t consumed = 0;
    Parse p = mcp_wire::parse_http(s.in, s.eof, meta, consumed);
    if (p == Parse::incomplete) return 0;
    if (p == Parse::bad) return -1;
    s.in.erase(0, consumed);
    msgs = mcp_wire::body_messages(meta);
    return 1;
  }
  for (size_t eol; (eol = s.in.find('\n')) != std::string::npos;) {
    Json j = Json::parse(std::string_view(s.in).substr(0, eol), nullptr, false);
    s.in.erase(0, eol + 1);
    if (!j.is_discarded() && j.contains("id") && !j.contains("method")) {
      msgs.assign(1, std::move(j));
      return 1;
    }
  }
  return 0;
}

// Blocking exchange, for set-up and tear-down. want_answer=false: a notification.
std::optional<std::vector<Json>> roundtrip(Session& s, const std::string& body, HttpResponse& meta,
                                           bool want_answer, const char* method = "POST") {
  if (!send_message(s, body, method)) return std::nullopt;
  if (!opt.command.empty() && !want_answer) return std::vector<Json>{};
  Time deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(opt.timeout));
  std::vector<Json> msgs;
  for (;;) {
    int e = extract(s, msgs, meta);
    if (e < 0) return std::nullopt;
    if (e > 0) return msgs;
    if (s.eof) return std::nullopt;
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{s.fd, POLLIN, 0};
    if (left <= 0 || ::poll(&p, 1, int(left)) <= 0) return std::nullopt;
    read_some(s);
  }
}

// ---- sessions -----------------------------------------------------------------

void spawn_child(Session& s) {
  int to_child[2], from_child[2];
  if (pipe2(to_child, O_CLOEXEC) || pipe2(from_child, O_CLOEXEC)) die("pipe failed");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, to_child[0], 0);
  posix_spawn_file_actions_adddup2(&fa, from_child[1], 1);
  std::vector<char*> argv;
  for (auto& a : opt.command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  if (posix_spawnp(&s.pid, argv[0], &fa, nullptr, argv.data(), environ) != 0)
    die("cannot run '" + opt.command[0] + "'");
  posix_spawn_file_actions_destroy(&fa);
  ::close(to_child[0]);
  ::close(from_child[1]);
  s.wfd = to_child[1];
  s.fd = from_child[0];
  set_nonblock(s.fd);
}

bool open_connection(Session& s) {
  if (!opt.command.empty()) return false;  // a dead child is not respawned
  if (s.fd >= 0) ::close(s.fd);
  s.in.clear();
  s.eof = false;
  s.fd = s.wfd = connect_tcp();
  s.last_used = Clock::now();
  return s.fd >= 0;
}

// A fresh connection for an HTTP session, watched by epfd; false: retry later.
bool reconnect(Session& s, int epfd) {
  if (!opt.command.empty()) {
    if (s.fd >= 0) epoll_ctl(epfd, EPOLL_CTL_DEL, s.fd, nullptr);
    s.dead = true;
    return false;
  }
  if (!open_connection(s)) {
    s.retry_at = Clock::now() + std::chrono::milliseconds(100);
    return false;
  }
  epoll_event ev{EPOLLIN, {.ptr = &s}};
  epoll_ctl(epfd, EPOLL_CTL_ADD, s.fd, &ev);
  return true;
}

void initialize(Session& s) {
  if (opt.command.empty()) {
    if (!open_connection(s)) die("cannot connect to 127.0.0.1:" + std::to_string(opt.port));
  } else {
    spawn_child(s);
  }
  Json init = {{"jsonrpc", "2.0"},
               {"id", 0},
               {"method", "initialize"},
               {"params",
                {{"protocolVersion", s.proto},
                 {"capabilities", Json::object()},
                 {"clientInfo", {{"name", "mcp_load"}, {"version", "1"}}}}}};
  HttpResponse meta;
  auto msgs = roundtrip(s, init.dump(), meta, true);
  std::string where = "session " + std::to_string(s.idx) + ": initialize: ";
  if (!msgs) die(where + "no answer");
  if (opt.command.empty() && meta.status != 200)
    die(where + "HTTP " + std::to_string(meta.status) + " " + meta.body);
  auto answer = std::find_if(msgs->begin(), msgs->end(), [](const Json& m) {
    return m.is_object() && m.value("id", Json()) == 0 && m.contains("result") &&
           m["result"].is_object();
  });
  if (answer == msgs->end()) die(where + "bad answer " + meta.body);
  s.sid = meta.session_id;
  s.proto = (*answer)["result"].value("protocolVersion", s.proto);
  if (meta.close && !open_connection(s)) die(where + "cannot reconnect");
  auto ack = roundtrip(s, R"({"jsonrpc":"2.0","method":"notifications/initialized"})", meta, false);
  if (!ack || (opt.command.empty() && meta.status / 100 != 2))
    die(where + "notifications/initialized refused (HTTP " + std::to_string(meta.status) + ")");
  if (meta.close && !open_connection(s)) die(where + "cannot reconnect");
  s.last_used = Clock::now();
}

void finish(Session& s) {
  if (opt.command.empty()) {
    HttpResponse meta;
    bool stale = s.fd < 0 || Clock::now() - s.last_used > std::chrono::seconds(1);
    if (opt.del && !s.sid.empty() && (!stale || open_connection(s)))
      roundtrip(s, "", meta, true, "DELETE");
    if (s.fd >= 0) ::close(s.fd);
    return;
  }
  ::close(s.wfd);  // EOF ends a well-behaved server
  ::close(s.fd);
  for (int i = 0; i < 100; ++i) {
    if (::waitpid(s.pid, nullptr, WNOHANG) == s.pid) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(s.pid, SIGKILL);
  ::waitpid(s.pid, nullptr, 0);
}

// Ids: even sequence numbers a number, odd ones a string; both name the session.
Json make_id(int idx, uint64_t seq) {
  if (seq % 2 == 0) return Json((uint64_t(idx) << 32) | seq);
  return Json("r" + std::to_string(idx) + "." + std::to_string(seq));
}

int id_session(const Json& id) {  // -1 when it is none of ours
  if (id.is_number_unsigned()) return int(id.get<uint64_t>() >> 32);
  if (id.is_number_integer()) return id.get<int64_t>() < 0 ? -1 : int(id.get<int64_t>() >> 32);
  if (id.is_string()) {
    const std::string& t = id.get_ref<const std::string&>();
    if (t.size() > 1 && t[0] == 'r') return std::atoi(t.c_str() + 1);
  }
  return -1;
}

int text_session(const std::string& t) {
  return t.size() > 1 && t[0] == 's' ? std::atoi(t.c_str() + 1) : -1;
}

void send_next(Session& s, int epfd) {
  // A keep-alive connection idle for a while (say, while the other sessions
  // initialised) may be closing on the server's side: start a fresh one.
  if (opt.command.empty() && Clock::now() - s.last_used > std::chrono::seconds(1) &&
      !reconnect(s, epfd))
    return;
  ++s.seq;
  s.expect_id = make_id(s.idx, s.seq);
  s.expect_text = "s" + std::to_string(s.idx) + "-" + std::to_string(s.seq);
  if (int(s.expect_text.size()) < opt.payload)
    s.expect_text.append(size_t(opt.payload) - s.expect_text.size(), '.');
  std::string body = R"({"jsonrpc":"2.0","id":)" + s.expect_id.dump() +
                     R"(,"method":"tools/call","params":{"name":"echo","arguments":{"text":")" +
                     s.expect_text + "\"}}}";
  s.sent = Clock::now();
  s.busy = true;
  if (!send_message(s, body)) {
    s.busy = false;
    ++s.errors;
    note("session " + std::to_string(s.idx) + ": cannot send");
    reconnect(s, epfd);
  }
}

void fail(Session& s, int epfd, const std::string& why) {
  ++s.errors;
  note("session " + std::to_string(s.idx) + " request " + std::to_string(s.seq) + ": " + why);
  s.busy = false;
  s.retry_at = Clock::now() + std::chrono::milliseconds(10);
  reconnect(s, epfd);
}

void complete(Session& s, int epfd, const std::vector<Json>& msgs, const HttpResponse& meta) {
  Time now = Clock::now();
  s.busy = false;
  s.last_used = now;
  const Json* answer = nullptr;
  for (auto& m : msgs)
    if (m.is_object() && m.contains("id") && !m.contains("method")) {
      if (!answer) answer = &m;
      if (m["id"] == s.expect_id) {
        answer = &m;
        break;
      }
    }
  std::string text;
  if (answer && answer->contains("result")) {
    const Json& c = (*answer)["result"].value("content", Json::array());
    if (c.is_array() && !c.empty() && c[0].is_object() && c[0].contains("text") &&
        c[0]["text"].is_string())
      text = c[0]["text"];
  }
  if (answer && (*answer)["id"] == s.expect_id && text == s.expect_text) {
    ++s.answered;
    if (s.sent >= measure_from && now <= measure_to)
      s.lat_ns.push_back(uint32_t(std::min<int64_t>((now - s.sent).count(), UINT32_MAX)));
  } else if (answer &&
             ((id_session((*answer)["id"]) >= 0 && id_session((*answer)["id"]) != s.idx) ||
              (text_session(text) >= 0 && text_session(text) != s.idx))) {
    ++s.xtalk;
    note("cross-talk: session " + std::to_string(s.idx) + " expected id " + s.expect_id.dump() +
         ", got " + answer->dump());
  } else {
    ++s.errors;
    note("session " + std::to_string(s.idx) + " expected id " + s.expect_id.dump() + " text " +
         s.expect_text.substr(0, 40) + ", got HTTP " + std::to_string(meta.status) + " " +
         (answer ? answer->dump() : meta.body));
    s.retry_at = now + std::chrono::milliseconds(10);
    if (meta.status == 404) s.dead = true;  // the session is gone: it stops here
  }
  if (meta.close && opt.command.empty()) reconnect(s, epfd);
}

void worker(std::vector<Session*> mine) {
  int epfd = epoll_create1(EPOLL_CLOEXEC);
  for (Session* s : mine) {
    epoll_event ev{EPOLLIN, {.ptr = s}};
    epoll_ctl(epfd, EPOLL_CTL_ADD, s->fd, &ev);
  }
  auto timeout =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(opt.timeout));
  epoll_event events[256];
  for (;;) {
    Time now = Clock::now();
    bool running = now < measure_to, any_busy = false;
    for (Session* s : mine) {
      if (running && !s->busy && !s->dead && now >= s->retry_at &&
          (s->fd >= 0 || reconnect(*s, epfd)))
        send_next(*s, epfd);
      if (s->busy && now - s->sent > timeout) fail(*s, epfd, "no answer within the timeout");
      any_busy |= s->busy;
    }
    if (!running && !any_busy) break;
    int n = epoll_wait(epfd, events, 256, 20);
    for (int i = 0; i < n; ++i) {
      Session& s = *static_cast<Session*>(events[i].data.ptr);
      if (s.fd < 0) continue;
      read_some(s);
      for (;;) {
        std::vector<Json> msgs;
        HttpResponse meta;
        int e = extract(s, msgs, meta);
        if (e > 0 && s.busy) {
          complete(s, epfd, msgs, meta);
          if (meta.close) break;
          continue;
        }
        if (e > 0) {
          ++s.errors;
          note("an answer nobody asked for");
          continue;
        }
        if (e < 0)
          fail(s, epfd, "unparsable answer: " + s.in.substr(0, 200));
        else if (s.eof && s.busy)
          fail(s, epfd, opt.command.empty() ? "connection closed" : "child exited");
        else if (s.eof)
          reconnect(s, epfd);  // an idle connection the server closed
        break;
      }
    }
  }
  ::close(epfd);
}

long rss_kb(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(f, line);)
    if (line.compare(0, 6, "VmRSS:") == 0) return std::atol(line.c_str() + 6);
  return -1;
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void usage(int code) {
  std::fprintf(code ? stderr : stdout,
               "usage: mcp_load (--url http://127.0.0.1:PORT/PATH | --stdio) [OPTIONS] [-- COMMAND "
               "ARGS...]\n"
               "  options: [--sessions N] [--duration S] [--warmup S] [--payload BYTES] [--json]\n"
               "           [--threads T] [--timeout S] [--watch-pid PID] [--no-delete]\n"
               "       mcp_load --free-port\n");
  std::exit(code);
}

void parse_url(const std::string& url) {
  const std::string scheme = "http://";
  if (url.compare(0, scheme.size(), scheme) != 0) die("only http:// URLs: '" + url + "'");
  std::string rest = url.substr(scheme.size());
  size_t slash = rest.find('/');
  opt.host_header = rest.substr(0, slash);
  opt.path = slash == std::string::npos ? "/" : rest.substr(slash);
  size_t colon = opt.host_header.rfind(':');
  std::string host = opt.host_header.substr(0, colon);
  opt.port = colon == std::string::npos ? 80 : std::atoi(opt.host_header.c_str() + colon + 1);
  if (host != "127.0.0.1" && host != "localhost") die("only 127.0.0.1 is allowed: '" + url + "'");
  opt.url = url;
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  socklen_t len = sizeof a;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len))
    die("cannot bind 127.0.0.1:0");
  std::printf("%d\n", ntohs(a.sin_port));
  ::close(fd);
  return 0;
}

double percentile(const std::vector<uint32_t>& v, double p) {
  if (v.empty()) return 0;
  size_t i = size_t(std::ceil(p / 100.0 * double(v.size())));
  return v[std::min(v.size() - 1, i ? i - 1 : 0)] / 1000.0;
}

}  // namespace

int main(int argc, char** argv) {
  bool stdio = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(2);
      return argv[++i];
    };
    if (a == "--url")
      parse_url(value());
    else if (a == "--stdio")
      stdio = true;
    else if (a == "--") {
      for (++i; i < argc; ++i) opt.command.push_back(argv[i]);
    } else if (a == "--sessions")
      opt.sessions = std::stoi(value());
    else if (a == "--threads")
      opt.threads = std::stoi(value());
    else if (a == "--duration")
      opt.duration = std::stod(value());
    else if (a == "--warmup")
      opt.warmup = std::stod(value());
    else if (a == "--timeout")
      opt.timeout = std::stod(value());
    else if (a == "--payload")
      opt.payload = std::stoi(value());
    else if (a == "--watch-pid")
      opt.watch_pid = std::stoi(value());
    else if (a == "--json")
      opt.json = true;
    else if (a == "--no-delete")
      opt.del = false;
    else if (a == "--free-port")
      return free_port();
    else if (a == "-h" || a == "--help")
      usage(0);
    else {
      std::fprintf(stderr, "mcp_load: unknown argument '%s'\n", a.c_str());
      usage(2);
    }
  }
  if (stdio == opt.command.empty() || stdio == (opt.port != 0)) usage(2);
  if (opt.sessions < 1 || opt.sessions > 4096 || opt.threads < 1 || opt.duration < 0 ||
      opt.warmup < 0 || opt.duration + opt.warmup > 3600)
    die("bad --sessions, --threads, --duration or --warmup");
  opt.threads = std::min(opt.threads, opt.sessions);
  signal(SIGPIPE, SIG_IGN);
  struct rlimit nofile {};
  getrlimit(RLIMIT_NOFILE, &nofile);
  nofile.rlim_cur = nofile.rlim_max;
  setrlimit(RLIMIT_NOFILE, &nofile);

  std::vector<Session> sessions(size_t(opt.sessions));
  for (int i = 0; i < opt.sessions; ++i) {
    sessions[size_t(i)].idx = i;
    initialize(sessions[size_t(i)]);
  }
  long rss_idle = opt.watch_pid ? rss_kb(opt.watch_pid) : -1, rss_max = rss_idle;

  Time start = Clock::now();
  measure_from = start + std::chrono::duration_cast<Clock::duration>(
                             std::chrono::duration<double>(opt.warmup));
  measure_to = measure_from + std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(opt.duration));
  std::vector<std::vector<Session*>> parts(size_t(opt.threads));
  for (auto& s : sessions) parts[size_t(s.idx % opt.threads)].push_back(&s);
  std::vector<std::thread> threads;
  for (auto& p : parts) threads.emplace_back(worker, p);
  double cpu0 = 0, cpu1 = 0;
  bool cpu_started = false;
  while (Clock::now() < measure_to) {  // sample the watched process and our CPU
    if (!cpu_started && Clock::now() >= measure_from) {
      cpu0 = cpu_seconds();
      cpu_started = true;
    }
    if (opt.watch_pid) rss_max = std::max(rss_max, rss_kb(opt.watch_pid));
    std::this_thread::sleep_until(
        std::min(measure_to, Clock::now() + std::chrono::milliseconds(50)));
  }
  cpu1 = cpu_seconds();
  if (!cpu_started) cpu0 = cpu1;
  for (auto& t : threads) t.join();
  for (auto& s : sessions) finish(s);

  std::vector<uint32_t> lat;
  uint64_t errors = 0, xtalk = 0, answered = 0;
  for (auto& s : sessions) {
    lat.insert(lat.end(), s.lat_ns.begin(), s.lat_ns.end());
    errors += s.errors;
    xtalk += s.xtalk;
    answered += s.answered;
  }
  std::sort(lat.begin(), lat.end());
  double rps = opt.duration > 0 ? double(lat.size()) / opt.duration : 0;
  double cpu_pct = opt.duration > 0 ? 100.0 * (cpu1 - cpu0) / opt.duration : 0;
  if (opt.json) {
    Json out = {{"target", opt.command.empty()
                               ? opt.url.empty() ? "http://" + opt.host_header + opt.path : opt.url
                               : "stdio:" + opt.command[0]},
                {"sessions", opt.sessions},
                {"threads", opt.threads},
                {"duration_s", opt.duration},
                {"requests", lat.size()},
                {"answered_total", answered},
                {"rps", std::round(rps * 10) / 10},
                {"p50_us", percentile(lat, 50)},
                {"p90_us", percentile(lat, 90)},
                {"p99_us", percentile(lat, 99)},
                {"max_us", lat.empty() ? 0.0 : lat.back() / 1000.0},
                {"errors", errors},
                {"cross_talk", xtalk},
                {"client_cpu_pct", std::round(cpu_pct)}};
    if (opt.watch_pid) out["rss_idle_kb"] = rss_idle, out["rss_max_kb"] = rss_max;
    std::printf("%s\n", out.dump().c_str());
  } else {
    std::printf(
        "sessions %d  requests %zu  rps %.1f  p50 %.1f us  p90 %.1f us  p99 %.1f us  max %.1f us  "
        "errors %llu  cross-talk %llu  client cpu %.0f%%",
        opt.sessions, lat.size(), rps, percentile(lat, 50), percentile(lat, 90),
        percentile(lat, 99), lat.empty() ? 0.0 : lat.back() / 1000.0, (unsigned long long)errors,
        (unsigned long long)xtalk, cpu_pct);
    if (opt.watch_pid) std::printf("  rss idle %ld kB  rss max %ld kB", rss_idle, rss_max);
    std::printf("\n");
  }
  return errors || xtalk ? 1 : 0;
}
