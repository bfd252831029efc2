// A single-threaded epoll loop: file descriptors with callbacks, a coarse
// periodic tick for timeouts, and signals delivered as events (signalfd).
// The bridge runs entirely on it: no threads, no locks.
#pragma once

#include <csignal>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "util/unique_fd.h"

namespace ccmcp::bridge {

class EventLoop {
 public:
  using Handler = std::function<void(uint32_t events)>;

  EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Watches `fd` for `events` (EPOLLIN, EPOLLOUT, ...); the handler runs on
  // readiness. The caller keeps owning the fd and must remove() it before
  // closing it.
  void add(int fd, uint32_t events, Handler handler);
  void modify(int fd, uint32_t events);
  void remove(int fd);

  // Blocks `signals` for the process and reports them to `handler`.
  void on_signals(std::initializer_list<int> signals, std::function<void(int)> handler);
  // Called about every `period_ms`, for idle timeouts.
  void on_tick(int period_ms, std::function<void()> handler);

  void run();  // until stop()
  void stop() { running_ = false; }

 private:
  UniqueFd epoll_;
  UniqueFd signal_fd_;
  UniqueFd timer_fd_;
  std::unordered_map<int, std::shared_ptr<Handler>> handlers_;
  // fds removed while a batch of events is handled: their remaining events
  // in that batch are stale (the number may already name a new fd).
  std::unordered_set<int> removed_in_batch_;
  bool running_ = false;
};

int64_t monotonic_ms();

}  // namespace ccmcp::bridge
