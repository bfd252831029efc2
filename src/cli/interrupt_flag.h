// While it lives, Ctrl-C (SIGINT) and SIGTERM raise its flag instead of
// ending the process, so that a follow watching the flag ends cleanly
// (exit 0); the previous handlers come back after. One at a time: the flag
// is the process's (a signal handler can only reach a global).
#pragma once

#include <signal.h>

#include <atomic>

namespace ccmcp::cli {

class InterruptFlag {
 public:
  InterruptFlag();
  ~InterruptFlag();
  InterruptFlag(const InterruptFlag&) = delete;
  InterruptFlag& operator=(const InterruptFlag&) = delete;

  // What a transfer or a follow polls.
  std::atomic<bool>* flag() const;
  bool raised() const { return flag()->load(); }

 private:
  struct sigaction previous_int_ {};
  struct sigaction previous_term_ {};
};

}  // namespace ccmcp::cli
