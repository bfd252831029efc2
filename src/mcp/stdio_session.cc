#include "mcp/stdio_session.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include "util/line_splitter.h"

namespace ccmcp::mcp {

namespace {

SpawnOptions spawn_options(const StdioOptions& options) {
  SpawnOptions spawn;
  spawn.argv = options.argv;
  spawn.environment = options.environment;
  spawn.cwd = options.cwd;
  spawn.err = options.err;
  spawn.err_fd = options.err_fd;
  return spawn;
}

std::string label_of(const StdioOptions& options) {
  return options.argv.empty() ? std::string("stdio server") : quote(options.argv[0]);
}

}  // namespace

StdioSession::StdioSession(StdioOptions options)
    : Session(label_of(options)), options_(std::move(options)), child_(spawn_options(options_)) {
  reader_ = std::thread([this] { read_loop(); });
}

StdioSession::~StdioSession() {
  close();
}

void StdioSession::read_loop() {
  int fd = child_.stdout_pipe().get();
  LineSplitter lines;
  auto on_line = [this](std::string_view line) {
    Json message = Json::parse(line, nullptr, false);
    if (message.is_discarded()) return;  // a log line on stdout: not a message
    if (!is_response(message)) return dispatch(message);
    std::lock_guard lock(mutex_);
    auto it = pending_.find(message["id"].dump());
    if (it != pending_.end()) {
      it->second.set_value(std::move(message));
      pending_.erase(it);
    }
  };
  char chunk[65536];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    int ready = ::poll(&p, 1, 100);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) {
      if (stopping_) break;
      continue;
    }
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) break;
    lines.feed(std::string_view(chunk, static_cast<size_t>(n)), on_line);
  }
  end("the server ended (its stdout closed)");
}

void StdioSession::end(const std::string& why) {
  std::lock_guard lock(mutex_);
  ended_ = true;
  end_reason_ = why;
  for (auto& [id, promise] : pending_)
    promise.set_exception(std::make_exception_ptr(
        Error(ErrorKind::runtime, label(), why + " before it answered", "see its stderr")));
  pending_.clear();
}

void StdioSession::send(const Json& message) {
  std::string line = message.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
  std::lock_guard lock(write_mutex_);
  if (!child_.stdin_pipe() || !write_all(child_.stdin_pipe().get(), line))
    throw Error(ErrorKind::runtime, label(), "cannot send to the server: it has ended",
                "see its stderr");
}

Json StdioSession::request(const std::string& method, const Json& params,
                           std::chrono::milliseconds timeout) {
  Json id = next_id();
  std::string key = id.dump();
  std::future<Json> answer;
  {
    std::lock_guard lock(mutex_);
    if (ended_) throw Error(ErrorKind::runtime, label(), end_reason_, "see its stderr");
    answer = pending_[key].get_future();
  }
  auto forget = [&] {
    std::lock_guard lock(mutex_);
    pending_.erase(key);
  };
  try {
    send(make_request(id, method, params));
  } catch (...) {
    forget();
    throw;
  }
  if (timeout.count() > 0 && answer.wait_for(timeout) != std::future_status::ready) {
    forget();
    try {
      notify("notifications/cancelled", {{"requestId", id}, {"reason", "timed out"}});
    } catch (const Error&) {
    }
    throw timed_out(method, timeout);
  }
  return result_or_throw(answer.get(), label(), method);
}

void StdioSession::notify(const std::string& method, const Json& params) {
  send(make_notification(method, params));
}

void StdioSession::send_answer(const Json& answer) {
  try {
    send(answer);
  } catch (const Error&) {
    // The server asked and went away.
  }
}

void StdioSession::close() {
  if (closed_) return;
  closed_ = true;
  {
    std::lock_guard lock(write_mutex_);
    child_.stdin_pipe().reset();  // EOF: most servers exit on it
  }
  if (!child_.wait_for(options_.grace)) child_.terminate(options_.grace);
  // A grandchild in another group may still hold the pipe open: the
  // reader looks at stopping_ between polls.
  stopping_ = true;
  if (reader_.joinable()) reader_.join();
  child_.stdout_pipe().reset();
}

}  // namespace ccmcp::mcp
