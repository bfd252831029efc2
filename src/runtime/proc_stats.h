// What /proc tells about processes: one process's stat line, the processes
// of a session, and their cpu and memory use, the way `docker stats` shows a
// container's (cpu: 100% is one core busy; memory: resident set).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace ccmcp::runtime {

struct ProcStat {
  pid_t pid = 0;
  std::string comm;  // the name in parentheses; may hold spaces and ')'
  char state = '?';  // R, S, D, Z (zombie), T, ...
  pid_t ppid = 0, pgrp = 0, session = 0;
  uint64_t utime_ticks = 0, stime_ticks = 0;
  uint64_t start_ticks = 0;  // since boot
  uint64_t rss_pages = 0;
};

// Parses the text of /proc/PID/stat; nullopt when it is not one.
std::optional<ProcStat> parse_proc_stat(std::string_view text);
std::optional<ProcStat> read_proc_stat(pid_t pid);

// The live (not zombie) processes whose session is one of `sessions`, by
// session; one pass over /proc.
std::map<pid_t, std::vector<ProcStat>> processes_by_session(const std::set<pid_t>& sessions);
std::vector<ProcStat> processes_in_session(pid_t session);

struct Usage {
  double cpu_percent = 0;  // over the sampling interval; 100 = one core
  uint64_t rss_bytes = 0;  // at the second sample
  int processes = 0;
};

// CPU of a set of processes between two samples: the ticks each one used
// in between (all of them for one that appeared), per second of `elapsed`.
double cpu_percent(const std::vector<ProcStat>& before, const std::vector<ProcStat>& after,
                   std::chrono::nanoseconds elapsed, long ticks_per_second);

// Samples /proc twice, `interval` apart, and sums per session.
std::map<pid_t, Usage> sample_sessions(const std::set<pid_t>& sessions,
                                       std::chrono::milliseconds interval);

}  // namespace ccmcp::runtime
