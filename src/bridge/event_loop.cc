#include "bridge/event_loop.h"

#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace ccmcp::bridge {

namespace {
[[noreturn]] void fail(const char* what) {
  throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
}
}  // namespace

int64_t monotonic_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

EventLoop::EventLoop() : epoll_(::epoll_create1(EPOLL_CLOEXEC)) {
  if (!epoll_) fail("epoll_create1");
}

void EventLoop::add(int fd, uint32_t events, Handler handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) fail("epoll_ctl add");
  handlers_[fd] = std::make_shared<Handler>(std::move(handler));
}

void EventLoop::modify(int fd, uint32_t events) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &ev) != 0) fail("epoll_ctl mod");
}

void EventLoop::remove(int fd) {
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
  handlers_.erase(fd);
  removed_in_batch_.insert(fd);
}

void EventLoop::on_signals(std::initializer_list<int> signals, std::function<void(int)> handler) {
  sigset_t set;
  sigemptyset(&set);
  for (int s : signals) sigaddset(&set, s);
  if (::sigprocmask(SIG_BLOCK, &set, nullptr) != 0) fail("sigprocmask");
  signal_fd_.reset(::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
  if (!signal_fd_) fail("signalfd");
  int fd = signal_fd_.get();
  add(fd, EPOLLIN, [fd, handler = std::move(handler)](uint32_t) {
    signalfd_siginfo info{};
    while (::read(fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info))
      handler(static_cast<int>(info.ssi_signo));
  });
}

void EventLoop::on_tick(int period_ms, std::function<void()> handler) {
  timer_fd_.reset(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
  if (!timer_fd_) fail("timerfd_create");
  itimerspec spec{};
  spec.it_interval.tv_sec = period_ms / 1000;
  spec.it_interval.tv_nsec = (period_ms % 1000) * 1000000L;
  spec.it_value = spec.it_interval;
  if (::timerfd_settime(timer_fd_.get(), 0, &spec, nullptr) != 0) fail("timerfd_settime");
  int fd = timer_fd_.get();
  add(fd, EPOLLIN, [fd, handler = std::move(handler)](uint32_t) {
    uint64_t expirations = 0;
    if (::read(fd, &expirations, sizeof expirations) > 0) handler();
  });
}

void EventLoop::run() {
  running_ = true;
  std::vector<epoll_event> events(256);
  while (running_) {
    int n = ::epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()), -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("epoll_wait");
    }
    removed_in_batch_.clear();
    for (int i = 0; i < n && running_; ++i) {
      if (removed_in_batch_.count(events[i].data.fd)) continue;
      // A handler may remove other fds (or its own): look each up afresh and
      // keep the handler alive while it runs.
      auto it = handlers_.find(events[i].data.fd);
      if (it == handlers_.end()) continue;
      std::shared_ptr<Handler> handler = it->second;
      (*handler)(events[i].events);
    }
  }
}

}  // namespace ccmcp::bridge
