#include "bridge/env_file.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>

#include "util/redact.h"

namespace ccmcp::bridge {

std::vector<std::string> load_env_file(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error("--env-file: cannot read \"" + path + "\": " + std::strerror(errno));
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json file = nlohmann::json::parse(text.str(), nullptr, false);
  if (file.is_discarded() || !file.is_object() || !file.contains("env") || !file["env"].is_object())
    throw std::runtime_error("--env-file: \"" + path + "\" is not {\"env\": {...}}");
  for (const auto& [name, value] : file["env"].items()) {
    if (!value.is_string() || name.empty() || name.find('=') != std::string::npos)
      throw std::runtime_error("--env-file: \"" + path + "\": variable \"" + name +
                               "\" is not a name with a string value");
    ::setenv(name.c_str(), value.get<std::string>().c_str(), 1);
  }
  ::unsetenv(kEnvFileVariable);  // the server has no business with the file
  std::vector<std::string> redact;
  for (const auto& value : file.value("redact", nlohmann::json::array()))
    if (value.is_string()) redact.push_back(value.get<std::string>());
  for (const auto& [name, value] : file["env"].items()) redact.push_back(value.get<std::string>());
  return redact;
}

namespace {

std::atomic<bool> forwarding_done{false};
int saved_stderr = -1;

// At exit, the last lines (an error that ends the bridge) still go out:
// stderr back to the real one, which ends the pipe once the children are
// gone, and a short wait for the thread to write what it holds.
void drain_at_exit() {
  std::fflush(stderr);
  ::dup2(saved_stderr, STDERR_FILENO);
  for (int i = 0; i < 100 && !forwarding_done; ++i) ::usleep(10000);
}

void write_all(int fd, const std::string& text) {
  size_t at = 0;
  while (at < text.size()) {
    ssize_t n = ::write(fd, text.data() + at, text.size() - at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    at += static_cast<size_t>(n);
  }
}

// Lines as they come; a line longer than this goes out in pieces (a value
// split across two pieces could show: servers do not log lines this long).
constexpr size_t kMaxLine = 64 * 1024;

void forward(int from, int to, const Redactor& redactor) {
  std::string pending;
  char buffer[8192];
  while (true) {
    ssize_t n = ::read(from, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(buffer, static_cast<size_t>(n));
    size_t end;
    while ((end = pending.find('\n')) != std::string::npos || pending.size() >= kMaxLine) {
      size_t take = end == std::string::npos ? kMaxLine : end + 1;
      write_all(to, redactor.apply(std::string_view(pending).substr(0, take)));
      pending.erase(0, take);
    }
  }
  if (!pending.empty()) write_all(to, redactor.apply(pending));
}

}  // namespace

void redact_stderr(std::vector<std::string> values) {
  Redactor redactor(std::move(values));
  if (redactor.empty()) return;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  int real_stderr = ::fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
  std::fflush(stderr);
  // dup2 clears close-on-exec on fd 2: children inherit the pipe as stderr.
  if (real_stderr < 0 || ::dup2(fds[1], STDERR_FILENO) < 0)
    throw std::runtime_error(std::string("stderr: ") + std::strerror(errno));
  ::close(fds[1]);
  // The bridge takes its signals through a signalfd: this thread must not
  // take one in its place (it would die of SIGTERM's default action).
  sigset_t all, before;
  sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &before);
  std::thread([from = fds[0], real_stderr, redactor = std::move(redactor)] {
    forward(from, real_stderr, redactor);
    forwarding_done = true;
  }).detach();
  ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
  saved_stderr = real_stderr;
  std::atexit(drain_at_exit);
}

}  // namespace ccmcp::bridge
