#include "runtime/proc_stats.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <memory>
#include <thread>

#include "util/unique_fd.h"

namespace ccmcp::runtime {

namespace {

bool parse_number(std::string_view text, uint64_t& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool parse_signed(std::string_view text, long& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

std::string read_small_file(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return {};
  std::string text;
  char buffer[1024];
  for (ssize_t n; (n = ::read(fd.get(), buffer, sizeof buffer)) > 0;)
    text.append(buffer, static_cast<size_t>(n));
  return text;
}

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};

}  // namespace

std::optional<ProcStat> parse_proc_stat(std::string_view text) {
  // "PID (COMM) STATE PPID PGRP SESSION ...": COMM may hold anything, so
  // it ends at the last ')'.
  size_t open = text.find(" (");
  size_t close = text.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open)
    return std::nullopt;
  ProcStat stat;
  long pid = 0;
  if (!parse_signed(text.substr(0, open), pid) || pid <= 0) return std::nullopt;
  stat.pid = static_cast<pid_t>(pid);
  stat.comm = std::string(text.substr(open + 2, close - open - 2));
  // The fields after COMM, numbered as in proc(5): 3 is the state, 24 the
  // resident set in pages.
  std::vector<std::string_view> fields;
  size_t at = close + 1;
  while (at < text.size()) {
    while (at < text.size() && (text[at] == ' ' || text[at] == '\n')) ++at;
    size_t end = at;
    while (end < text.size() && text[end] != ' ' && text[end] != '\n') ++end;
    if (end > at) fields.push_back(text.substr(at, end - at));
    at = end;
  }
  auto field = [&](size_t number) { return fields[number - 3]; };
  if (fields.size() < 22 || field(3).size() != 1) return std::nullopt;
  stat.state = field(3)[0];
  long ppid = 0, pgrp = 0, session = 0;
  if (!parse_signed(field(4), ppid) || !parse_signed(field(5), pgrp) ||
      !parse_signed(field(6), session) || !parse_number(field(14), stat.utime_ticks) ||
      !parse_number(field(15), stat.stime_ticks) || !parse_number(field(22), stat.start_ticks))
    return std::nullopt;
  long rss = 0;
  if (parse_signed(field(24), rss) && rss > 0) stat.rss_pages = static_cast<uint64_t>(rss);
  stat.ppid = static_cast<pid_t>(ppid);
  stat.pgrp = static_cast<pid_t>(pgrp);
  stat.session = static_cast<pid_t>(session);
  return stat;
}

std::optional<ProcStat> read_proc_stat(pid_t pid) {
  std::string text = read_small_file("/proc/" + std::to_string(pid) + "/stat");
  if (text.empty()) return std::nullopt;
  return parse_proc_stat(text);
}

std::map<pid_t, std::vector<ProcStat>> processes_by_session(const std::set<pid_t>& sessions) {
  std::map<pid_t, std::vector<ProcStat>> found;
  if (sessions.empty()) return found;
  std::unique_ptr<DIR, DirCloser> dir(::opendir("/proc"));
  if (!dir) return found;
  while (dirent* entry = ::readdir(dir.get())) {
    uint64_t pid = 0;
    if (!parse_number(entry->d_name, pid) || pid == 0) continue;
    auto stat = read_proc_stat(static_cast<pid_t>(pid));
    // A zombie is dead already; it only waits for its parent to reap it.
    if (!stat || stat->state == 'Z' || !sessions.count(stat->session)) continue;
    found[stat->session].push_back(*stat);
  }
  return found;
}

std::vector<ProcStat> processes_in_session(pid_t session) {
  auto found = processes_by_session({session});
  return found.empty() ? std::vector<ProcStat>{} : found.begin()->second;
}

double cpu_percent(const std::vector<ProcStat>& before, const std::vector<ProcStat>& after,
                   std::chrono::nanoseconds elapsed, long ticks_per_second) {
  if (elapsed.count() <= 0 || ticks_per_second <= 0) return 0;
  uint64_t ticks = 0;
  for (const auto& now : after) {
    uint64_t used = now.utime_ticks + now.stime_ticks;
    for (const auto& then : before)
      // The same process: the same pid and start time (a pid may be reused).
      if (then.pid == now.pid && then.start_ticks == now.start_ticks) {
        uint64_t earlier = then.utime_ticks + then.stime_ticks;
        used = used >= earlier ? used - earlier : 0;
        break;
      }
    ticks += used;
  }
  double seconds = std::chrono::duration<double>(elapsed).count();
  return 100.0 * static_cast<double>(ticks) / static_cast<double>(ticks_per_second) / seconds;
}

std::map<pid_t, Usage> sample_sessions(const std::set<pid_t>& sessions,
                                       std::chrono::milliseconds interval) {
  auto first_time = std::chrono::steady_clock::now();
  auto first = processes_by_session(sessions);
  std::this_thread::sleep_for(interval);
  auto second_time = std::chrono::steady_clock::now();
  auto second = processes_by_session(sessions);
  static const long ticks = ::sysconf(_SC_CLK_TCK);
  static const long page = ::sysconf(_SC_PAGESIZE);
  std::map<pid_t, Usage> usage;
  for (pid_t session : sessions) {
    Usage& u = usage[session];
    const auto& now = second[session];
    u.cpu_percent = cpu_percent(first[session], now, second_time - first_time, ticks);
    for (const auto& stat : now) u.rss_bytes += stat.rss_pages * static_cast<uint64_t>(page);
    u.processes = static_cast<int>(now.size());
  }
  return usage;
}

}  // namespace ccmcp::runtime
