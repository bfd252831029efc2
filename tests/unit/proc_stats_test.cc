#include "runtime/proc_stats.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace ccmcp::runtime {
namespace {

// A real line of /proc/PID/stat (node), with a name that tries to confuse.
std::string stat_line(const std::string& comm, uint64_t utime, uint64_t stime,
                      uint64_t start = 123456) {
  return "4242 (" + comm + ") S 4241 4240 4239 0 -1 4194560 9166 0 0 0 " + std::to_string(utime) +
         " " + std::to_string(stime) + " 0 0 20 0 11 0 " + std::to_string(start) +
         " 1163489280 12345 18446744073709551615 1 1 0 0 0 0 0 16781312 134234626 0 0 0 17 1 0 0 0 "
         "0 0 0 0 0 0 0 0 0 0\n";
}

TEST(ProcStat, ParsesTheFieldsAfterAnyName) {
  for (std::string comm : {"node", "MainThread", "a b", "x) S 1 2 3 (y", "))", ""}) {
    auto stat = parse_proc_stat(stat_line(comm, 150, 30));
    ASSERT_TRUE(stat) << comm;
    EXPECT_EQ(stat->pid, 4242);
    EXPECT_EQ(stat->comm, comm);
    EXPECT_EQ(stat->state, 'S');
    EXPECT_EQ(stat->ppid, 4241);
    EXPECT_EQ(stat->pgrp, 4240);
    EXPECT_EQ(stat->session, 4239);
    EXPECT_EQ(stat->utime_ticks, 150u);
    EXPECT_EQ(stat->stime_ticks, 30u);
    EXPECT_EQ(stat->start_ticks, 123456u);
    EXPECT_EQ(stat->rss_pages, 12345u);
  }
}

TEST(ProcStat, RefusesWhatIsNotAStatLine) {
  for (std::string bad : {"", "4242", "4242 (node)", "x (node) S 1 2 3",
                          "4242 (node) S 1 2 3 4 5 6 7 8 9 10 11 12", "-1 (node) S 1 2 3"})
    EXPECT_FALSE(parse_proc_stat(bad)) << bad;
}

TEST(ProcStat, ReadsOurOwnProcess) {
  auto self = read_proc_stat(::getpid());
  ASSERT_TRUE(self);
  EXPECT_EQ(self->pid, ::getpid());
  EXPECT_EQ(self->session, ::getsid(0));
  EXPECT_GT(self->rss_pages, 0u);
  bool found = false;
  for (const auto& process : processes_in_session(::getsid(0))) found |= process.pid == ::getpid();
  EXPECT_TRUE(found);
}

TEST(CpuPercent, CountsTheTicksUsedBetweenTheSamples) {
  auto a = *parse_proc_stat(stat_line("a", 100, 50, 1000));
  auto a_later = *parse_proc_stat(stat_line("a", 130, 70, 1000));  // +50 ticks
  auto reused = *parse_proc_stat(stat_line("a", 10, 0, 5000));     // same pid, new process
  auto b = a;
  b.pid = 99;
  b.utime_ticks = 20;
  b.stime_ticks = 5;  // new in the second sample: all 25 ticks count
  using std::chrono::milliseconds;
  // 50 ticks of 100 per second in 0.5 s: one core fully busy.
  EXPECT_DOUBLE_EQ(cpu_percent({a}, {a_later}, milliseconds(500), 100), 100.0);
  EXPECT_DOUBLE_EQ(cpu_percent({a}, {a_later, b}, milliseconds(500), 100), 150.0);
  EXPECT_DOUBLE_EQ(cpu_percent({a}, {reused}, milliseconds(1000), 100), 10.0);
  EXPECT_DOUBLE_EQ(cpu_percent({a_later}, {a}, milliseconds(1000), 100), 0.0);  // never negative
  EXPECT_DOUBLE_EQ(cpu_percent({a}, {}, milliseconds(1000), 100), 0.0);
  EXPECT_DOUBLE_EQ(cpu_percent({a}, {a_later}, milliseconds(0), 100), 0.0);
}

TEST(SampleSessions, SeesABusyProcess) {
  // Spin in this thread while another samples our session.
  std::atomic<bool> done{false};
  std::thread spinner([&] {
    volatile uint64_t n = 0;
    while (!done) n = n + 1;
  });
  auto usage = sample_sessions({::getsid(0)}, std::chrono::milliseconds(300));
  done = true;
  spinner.join();
  EXPECT_GT(usage[::getsid(0)].cpu_percent, 5.0);  // the machine may be busy
  EXPECT_GT(usage[::getsid(0)].rss_bytes, 1u << 20);
  EXPECT_GE(usage[::getsid(0)].processes, 1);
}

}  // namespace
}  // namespace ccmcp::runtime
