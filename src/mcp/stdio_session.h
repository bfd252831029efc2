// An MCP client session with a stdio server (see session.h for the API):
// the command is started without a shell in its own process group and
// spoken to in JSON lines on its stdin and stdout; a reader thread matches
// answers to requests and hands everything else to the handlers.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "mcp/session.h"
#include "util/process.h"

namespace ccmcp::mcp {

struct StdioOptions {
  std::vector<std::string> argv;
  std::vector<std::pair<std::string, std::string>> environment;  // added to ours
  std::filesystem::path cwd;                                     // empty: ours
  // The server's stderr: ours (inherit), /dev/null, or a given fd.
  SpawnOptions::Stream err = SpawnOptions::Stream::inherit;
  int err_fd = -1;
  // How long close() lets the server exit by itself after its stdin closed,
  // and then after SIGTERM, before SIGKILL.
  std::chrono::milliseconds grace{2000};
};

class StdioSession : public Session {
 public:
  // Starts the server; throws Error when it cannot be started.
  explicit StdioSession(StdioOptions options);
  ~StdioSession() override;

  Json request(const std::string& method, const Json& params,
               std::chrono::milliseconds timeout) override;
  void notify(const std::string& method, const Json& params = nullptr) override;
  // Closes the server's stdin, waits for it to exit (then SIGTERM, SIGKILL
  // to its group) and reaps it.
  void close() override;

  pid_t pid() const { return child_.pid(); }

 protected:
  void send_answer(const Json& answer) override;

 private:
  void send(const Json& message);
  void read_loop();
  // Fails every waiting request: the server is gone.
  void end(const std::string& why);

  StdioOptions options_;
  ChildProcess child_;
  std::thread reader_;
  std::mutex write_mutex_;
  std::mutex mutex_;                                   // guards pending_, ended_
  std::map<std::string, std::promise<Json>> pending_;  // by the id's JSON text
  bool ended_ = false;
  std::string end_reason_;
  bool closed_ = false;
  std::atomic<bool> stopping_{false};  // close() is done with the child: stop reading
};

}  // namespace ccmcp::mcp
