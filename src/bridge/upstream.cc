#include "bridge/upstream.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace ccmcp::bridge {

Upstream::Upstream(EventLoop& loop, const std::vector<std::string>& command, LineHandler on_line)
    : loop_(loop), process_(command), on_line_(std::move(on_line)), started_ms_(monotonic_ms()) {
  loop_.add(process_.stdout_fd(), EPOLLIN, [this](uint32_t) { on_stdout(); });
}

Upstream::~Upstream() {
  stop_watching();
}

void Upstream::stop_watching() {
  if (!stdout_closed_ && process_.stdout_fd() >= 0) loop_.remove(process_.stdout_fd());
  if (watching_stdin_ && process_.stdin_fd() >= 0) loop_.remove(process_.stdin_fd());
  stdout_closed_ = true;
  watching_stdin_ = false;
}

void Upstream::mark_exited(int status) {
  process_.mark_exited(status);
  // Read what it wrote before it died: its last answers still count.
  if (!stdout_closed_) on_stdout();
  stop_watching();
  stdin_closed_ = true;
}

void Upstream::on_stdout() {
  char buffer[65536];
  while (!paused_) {
    ssize_t n = ::read(process_.stdout_fd(), buffer, sizeof buffer);
    if (n > 0) {
      framer_.feed(
          std::string_view(buffer, static_cast<size_t>(n)),
          [this](std::string_view line) { on_line_(*this, line); },
          [this](size_t dropped) {
            std::fprintf(stderr,
                         "cc-mcp-bridge: dropped a %zu-byte message from the server (over the "
                         "line limit)\n",
                         dropped);
          });
      // A short read emptied the pipe: skip the read that would only say
      // EAGAIN (epoll is level-triggered and wakes us for more).
      if (static_cast<size_t>(n) < sizeof buffer) return;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    // EOF or error: the child closed its stdout; its exit follows.
    if (!stdout_closed_) {
      loop_.remove(process_.stdout_fd());
      stdout_closed_ = true;
    }
    return;
  }
}

void Upstream::pause_output() {
  if (paused_ || stdout_closed_) return;
  paused_ = true;
  loop_.modify(process_.stdout_fd(), 0);
}

void Upstream::resume_output() {
  if (!paused_) return;
  paused_ = false;
  if (stdout_closed_) return;
  loop_.modify(process_.stdout_fd(), EPOLLIN);
  on_stdout();  // what arrived meanwhile
}

bool Upstream::send(const std::string& message) {
  if (!alive()) return false;
  if (buffered_input() + message.size() > kMaxChildInputBacklog) return false;
  if (input_offset_ == input_.size()) {
    input_.clear();
    input_offset_ = 0;
  }
  input_ += message;
  input_ += '\n';
  flush_input();
  return true;
}

void Upstream::flush_input() {
  while (input_offset_ < input_.size()) {
    ssize_t n =
        ::write(process_.stdin_fd(), input_.data() + input_offset_, input_.size() - input_offset_);
    if (n > 0) {
      input_offset_ += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) break;
    // EPIPE: it stopped reading (it is exiting); the exit is handled there.
    stdin_closed_ = true;
    input_.clear();
    input_offset_ = 0;
    break;
  }
  bool pending = input_offset_ < input_.size();
  if (pending && !watching_stdin_) {
    loop_.add(process_.stdin_fd(), EPOLLOUT, [this](uint32_t) { flush_input(); });
    watching_stdin_ = true;
  } else if (!pending && watching_stdin_) {
    loop_.remove(process_.stdin_fd());
    watching_stdin_ = false;
  }
  if (!pending && input_.size() > (1u << 20)) {
    input_.clear();
    input_.shrink_to_fit();
    input_offset_ = 0;
  }
}

}  // namespace ccmcp::bridge
