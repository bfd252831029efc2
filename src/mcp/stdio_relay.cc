#include "mcp/stdio_relay.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <list>
#include <mutex>
#include <optional>
#include <thread>

#include "mcp/http_transport.h"
#include "util/line_splitter.h"
#include "util/process.h"

namespace ccmcp::mcp {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kFirstPause{100};
constexpr milliseconds kMaxPause{2000};

std::string serialize(const Json& message) {
  return message.dump(-1, ' ', false, Json::error_handler_t::replace);
}

bool server_went_away(TransportFailure failure) {
  return failure == TransportFailure::unreachable || failure == TransportFailure::session_expired ||
         failure == TransportFailure::broken;
}

class Relay {
 public:
  explicit Relay(const RelayOptions& options)
      : options_(options), transport_(options.url, options.http) {}
  int run();

 private:
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };

  void log(const std::string& line) {
    if (options_.log) options_.log(line);
  }
  void emit(const Json& message);
  void emit_error(const Json& id, const std::string& text);

  void on_line_from_client(std::string_view line);
  void initialize_from_client(const Json& message, const std::string& text);
  void forward_quick(const Json& message, const std::string& text);
  void start_request(const Json& message, const std::string& text);
  void request(const Json& id, const std::string& text);

  bool wait_connected(uint64_t& generation, milliseconds timeout);
  void lost(uint64_t generation, const std::string& why);
  // POSTs an initialize as a new session (its messages to stdout when
  // `forward`); the answer to it, if one came. After a result the
  // transport holds the new session. Throws TransportError.
  std::optional<Json> open_session(const std::string& text, const Json& id, bool forward);
  bool replay_initialize();
  void keep_session();
  void watch_signals();
  void wake_reader();
  void pause_for(milliseconds pause);

  RelayOptions options_;
  HttpTransport transport_;

  std::mutex out_mutex_;
  std::atomic<bool> out_broken_{false};

  std::mutex mutex_;
  std::condition_variable changed_;
  std::string init_text_, initialized_text_;  // the client's own, replayed after a restart
  Json init_id_;
  bool connected_ = false;
  bool client_initialized_ = false;  // the GET stream opens once the client said initialized
  uint64_t generation_ = 0;
  std::string last_problem_ = "nothing answered";
  int in_flight_ = 0;
  bool cancelling_ = false;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> cancel_requests_{false};
  std::atomic<bool> cancel_stream_{false};

  std::list<Worker> workers_;
  std::thread keeper_;
  std::thread signal_watcher_;
  UniqueFd wake_read_, wake_write_;
  std::atomic<bool> signalled_{false};
};

void Relay::emit(const Json& message) {
  std::string line = serialize(message) + "\n";
  std::lock_guard lock(out_mutex_);
  if (out_broken_) return;
  if (!write_all(options_.out_fd, line)) {
    out_broken_ = true;  // the client is gone: nothing more to do
    wake_reader();
  }
}

void Relay::emit_error(const Json& id, const std::string& text) {
  emit(make_error(id, kServerError, text));
}

void Relay::wake_reader() {
  if (wake_write_) (void)!::write(wake_write_.get(), "x", 1);
}

void Relay::pause_for(milliseconds pause) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, pause, [&] { return stopping_.load(); });
}

bool Relay::wait_connected(uint64_t& generation, milliseconds timeout) {
  std::unique_lock lock(mutex_);
  bool ready = changed_.wait_for(lock, timeout, [&] { return connected_ || cancelling_; });
  if (!ready || !connected_) return false;
  generation = generation_;
  return true;
}

void Relay::lost(uint64_t generation, const std::string& why) {
  std::lock_guard lock(mutex_);
  if (!connected_ || generation != generation_) return;  // someone noticed first
  connected_ = false;
  last_problem_ = why;
  cancel_stream_ = true;
  log("the server went away (" + why + "); waiting for it to come back");
  changed_.notify_all();
}

std::optional<Json> Relay::open_session(const std::string& text, const Json& id, bool forward) {
  transport_.set_session_id({});
  transport_.set_protocol_version({});
  std::optional<Json> response;
  Exchange exchange;
  exchange.timeout = std::chrono::seconds(60);
  exchange.with_session = false;
  PostAnswer answer = transport_.post(
      text,
      [&](Json m) {
        bool ours = is_response(m) && m["id"] == id;
        if (forward) emit(m);
        if (ours) response = std::move(m);
        return !ours;
      },
      exchange);
  if (response && response->contains("result") && (*response)["result"].is_object()) {
    transport_.set_session_id(answer.session_id);
    transport_.set_protocol_version((*response)["result"].value("protocolVersion", ""));
  }
  return response;
}

void Relay::initialize_from_client(const Json& message, const std::string& text) {
  const Json& id = message["id"];
  {
    std::lock_guard lock(mutex_);
    if (connected_) {
      // A second handshake: the client starts over, so do we.
      connected_ = false;
      cancel_stream_ = true;
      changed_.notify_all();
    }
    init_text_ = text;
    init_id_ = id;
    client_initialized_ = false;
  }
  transport_.end_session(milliseconds(2000));
  auto deadline = Clock::now() + options_.reconnect_wait;
  milliseconds pause = kFirstPause;
  bool said_waiting = false;
  for (;;) {
    try {
      auto response = open_session(text, id, /*forward=*/true);
      if (!response) {
        emit_error(id, options_.subject + " did not answer initialize");
        return;
      }
      if (!response->contains("result")) return;  // an error answer: the client has it
      std::lock_guard lock(mutex_);
      connected_ = true;
      ++generation_;
      changed_.notify_all();
      if (!keeper_.joinable()) keeper_ = std::thread([this] { keep_session(); });
      return;
    } catch (const TransportError& error) {
      bool retry =
          server_went_away(error.failure()) || error.failure() == TransportFailure::unavailable;
      if (!retry || Clock::now() >= deadline || signalled_) {
        emit_error(id, options_.subject + ": " + error.message());
        return;
      }
      if (!said_waiting) log("waiting for the server (" + error.problem() + ")");
      said_waiting = true;
      pause_for(pause);
      pause = std::min(pause * 2, kMaxPause);
    }
  }
}

bool Relay::replay_initialize() {
  std::string init, initialized;
  Json id;
  {
    std::lock_guard lock(mutex_);
    init = init_text_;
    initialized = initialized_text_;
    id = init_id_;
  }
  try {
    // The answer is the client's second one to the same request: swallowed.
    auto response = open_session(init, id, /*forward=*/false);
    if (!response || !response->contains("result")) {
      std::lock_guard lock(mutex_);
      last_problem_ = "the server refused initialize";
      return false;
    }
    Exchange exchange;
    exchange.timeout = std::chrono::seconds(30);
    if (!initialized.empty())
      transport_.post(
          initialized, [](Json) { return true; }, exchange);
  } catch (const TransportError& error) {
    std::lock_guard lock(mutex_);
    last_problem_ = error.problem();
    return false;
  }
  std::lock_guard lock(mutex_);
  if (stopping_) return false;  // run() sends the DELETE once the keeper is gone
  connected_ = true;
  ++generation_;
  log("reconnected: a new session with the server");
  changed_.notify_all();
  return true;
}

// The GET stream while connected; reconnecting while not.
void Relay::keep_session() {
  milliseconds pause = kFirstPause;
  MessageSink sink = [this](Json message) {
    emit(message);
    return true;
  };
  while (!stopping_) {
    std::unique_lock lock(mutex_);
    if (!connected_) {
      bool has_init = !init_text_.empty();
      lock.unlock();
      if (has_init && replay_initialize()) {
        pause = kFirstPause;
      } else {
        pause_for(pause);
        pause = std::min(pause * 2, kMaxPause);
      }
      continue;
    }
    if (!client_initialized_) {
      changed_.wait_for(lock, milliseconds(200));
      continue;
    }
    uint64_t generation = generation_;
    cancel_stream_ = false;
    lock.unlock();
    try {
      if (!transport_.listen(sink, &cancel_stream_)) {
        // The server has no GET stream: nothing to keep until it goes away.
        std::unique_lock wait(mutex_);
        changed_.wait(wait, [&] { return stopping_ || !connected_ || generation_ != generation; });
        continue;
      }
      pause_for(kFirstPause);  // the server ended the stream; it may do so: open it again
    } catch (const TransportError& error) {
      if (error.failure() == TransportFailure::cancelled) continue;
      if (server_went_away(error.failure())) {
        lost(generation, error.problem());
      } else {
        log("the GET stream failed: " + error.message());
        pause_for(kMaxPause);
      }
    }
  }
}

void Relay::forward_quick(const Json& message, const std::string& text) {
  bool initialized = message.value("method", "") == "notifications/initialized";
  uint64_t generation;
  {
    std::lock_guard lock(mutex_);
    if (initialized) initialized_text_ = text;
    if (!connected_) {
      log(std::string("dropped a ") + (is_response(message) ? "response" : "notification") +
          " while the server is away");
      return;
    }
    generation = generation_;
  }
  try {
    Exchange exchange;
    exchange.timeout = std::chrono::seconds(30);
    transport_.post(
        text,
        [this](Json m) {
          emit(m);
          return true;
        },
        exchange);
  } catch (const TransportError& error) {
    if (server_went_away(error.failure())) lost(generation, error.problem());
    log("could not deliver a message: " + error.message());
  }
  if (initialized) {
    std::lock_guard lock(mutex_);
    client_initialized_ = true;
    changed_.notify_all();
  }
}

void Relay::start_request(const Json& message, const std::string& text) {
  {
    std::lock_guard lock(mutex_);
    if (init_text_.empty()) {
      emit_error(message["id"], "send initialize first");
      return;
    }
  }
  for (auto it = workers_.begin(); it != workers_.end();) {
    if (it->done->load()) {
      it->thread.join();
      it = workers_.erase(it);
    } else {
      ++it;
    }
  }
  {
    std::lock_guard lock(mutex_);
    ++in_flight_;
  }
  auto done = std::make_shared<std::atomic<bool>>(false);
  workers_.push_back({std::thread([this, id = message["id"], text, done] {
                        request(id, text);
                        std::lock_guard lock(mutex_);
                        --in_flight_;
                        changed_.notify_all();
                        *done = true;
                      }),
                      done});
}

void Relay::request(const Json& id, const std::string& text) {
  for (int attempt = 0;; ++attempt) {
    uint64_t generation = 0;
    if (!wait_connected(generation, options_.reconnect_wait)) {
      std::string problem;
      {
        std::lock_guard lock(mutex_);
        problem = cancelling_ ? "cc-mcp connect is ending" : last_problem_;
      }
      emit_error(id, options_.subject + " is not reachable: " + problem);
      return;
    }
    bool answered = false, any = false;
    try {
      Exchange exchange;
      exchange.cancel = &cancel_requests_;
      transport_.post(
          text,
          [&](Json m) {
            any = true;
            bool ours = is_response(m) && m["id"] == id;
            emit(m);
            if (ours) answered = true;
            return !ours;
          },
          exchange);
      if (!answered) emit_error(id, options_.subject + " ended its answer without a response");
      return;
    } catch (const TransportError& error) {
      if (server_went_away(error.failure())) lost(generation, error.problem());
      // Refused, or 404 for an old session: it never reached the server,
      // so it may go again, once, on the new session.
      bool undelivered = !any && (error.failure() == TransportFailure::unreachable ||
                                  error.failure() == TransportFailure::session_expired);
      if (undelivered && attempt == 0) continue;
      if (answered) return;
      if (error.failure() == TransportFailure::broken)
        emit_error(id, options_.subject +
                           " went away while this request was in flight (it restarted?); "
                           "send it again once it is back");
      else if (error.failure() == TransportFailure::cancelled)
        emit_error(id, "cc-mcp connect is ending");
      else
        emit_error(id, options_.subject + ": " + error.message());
      return;
    }
  }
}

void Relay::on_line_from_client(std::string_view line) {
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;
  Json message = Json::parse(line, nullptr, false);
  if (message.is_discarded() || !message.is_object()) {
    emit(make_error(
        nullptr, message.is_discarded() ? kParseError : -32600,
        message.is_discarded() ? "not valid JSON" : "one JSON-RPC message per line (no batches)"));
    return;
  }
  std::string text = serialize(message);
  if (is_request(message)) {
    if (message["method"] == "initialize")
      initialize_from_client(message, text);
    else
      start_request(message, text);
  } else {
    forward_quick(message, text);
  }
}

void Relay::watch_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&set, s);
  timespec tick{0, 200'000'000};
  while (!stopping_) {
    int signal = ::sigtimedwait(&set, nullptr, &tick);
    if (signal > 0) {
      log("ending (signal " + std::to_string(signal) + ")");
      signalled_ = true;
      wake_reader();
      return;
    }
  }
}

int Relay::run() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0) {
    wake_read_.reset(fds[0]);
    wake_write_.reset(fds[1]);
  }
  if (options_.handle_signals) {
    // Blocked here, before any thread starts, so that every thread has
    // them blocked and only the watcher takes them.
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&set, s);
    ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
    signal_watcher_ = std::thread([this] { watch_signals(); });
  }

  LineSplitter lines;
  auto on_line = [this](std::string_view line) { on_line_from_client(line); };
  char chunk[65536];
  while (!out_broken_ && !signalled_) {
    pollfd p[2] = {{options_.in_fd, POLLIN, 0}, {wake_read_.get(), POLLIN, 0}};
    if (::poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (p[1].revents) break;
    ssize_t n = ::read(options_.in_fd, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) break;  // the client closed stdin
    if (!lines.feed(std::string_view(chunk, static_cast<size_t>(n)), on_line))
      log("dropped a line longer than 64 MiB");
  }
  if (!lines.rest().empty()) on_line(lines.rest());  // a last line without its newline

  // Requests in flight may finish (unless a signal asked to end now).
  {
    std::unique_lock lock(mutex_);
    if (!signalled_ && !out_broken_)
      changed_.wait_for(lock, options_.drain, [&] { return in_flight_ == 0; });
    cancelling_ = true;
    cancel_requests_ = true;
    changed_.notify_all();
  }
  for (auto& worker : workers_) worker.thread.join();
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    cancel_stream_ = true;
    changed_.notify_all();
  }
  // The DELETE first: the server then ends the GET stream at once, which
  // ends the keeper sooner than curl's cancel (checked once a second).
  transport_.end_session(milliseconds(2000));
  if (keeper_.joinable()) keeper_.join();
  transport_.end_session(milliseconds(2000));  // one the keeper made meanwhile
  if (signal_watcher_.joinable()) signal_watcher_.join();
  return 0;
}

}  // namespace

int run_stdio_relay(const RelayOptions& options) {
  return Relay(options).run();
}

}  // namespace ccmcp::mcp
