#include "updates/guard.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "docker/engine.h"
#include "runtime/state.h"
#include "updates/replace.h"
#include "util/error.h"
#include "util/file_lock.h"

namespace ccmcp::updates {

std::filesystem::path update_lock_path(const config::Home& home, const std::string& server) {
  return home.root / "updates" / (server + ".lock");
}

Guard::Guard(const config::Home& home, const std::string& server) {
  std::filesystem::path log = home.root / "updates" / (server + ".guard.log");
  std::error_code ec;
  std::filesystem::create_directories(log.parent_path(), ec);
  UniqueFd log_fd(::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
  SpawnOptions spawn;
  spawn.argv = {"/proc/self/exe", kGuardArgument, server};
  spawn.grouping = SpawnOptions::Grouping::own_session;  // outlives a killed update
  spawn.in = SpawnOptions::Stream::pipe;
  spawn.out = spawn.err = log_fd ? SpawnOptions::Stream::fd : SpawnOptions::Stream::null;
  spawn.out_fd = spawn.err_fd = log_fd.get();
  child_ = ChildProcess(spawn);
}

void Guard::replacement_ended() {
  if (!child_.stdin_pipe()) return;
  write_all(child_.stdin_pipe().get(), "done\n");
  child_.stdin_pipe().reset();
  if (!child_.wait_for(std::chrono::seconds(5))) child_.terminate(std::chrono::seconds(1));
}

Guard::~Guard() {
  if (!child_.stdin_pipe()) return;
  // Alive, but the replacement was left unfinished: said, then end-of-file.
  write_all(child_.stdin_pipe().get(), "unfinished\n");
  child_.detach();
}

namespace {

void log(const std::string& server, const std::string& text) {
  std::fprintf(stderr, "%s guard of %s (pid %d): %s\n",
               to_rfc3339(std::chrono::system_clock::now()).c_str(), server.c_str(),
               static_cast<int>(getpid()), text.c_str());
  std::fflush(stderr);
}

}  // namespace

int guard_main(const char* server_name) {
  std::string server = server_name;
  std::string said;
  char buffer[64];
  for (;;) {
    ssize_t got = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (got > 0) {
      said.append(buffer, static_cast<size_t>(got));
      continue;
    }
    if (got < 0 && errno == EINTR) continue;
    break;
  }
  if (said.find("done") != std::string::npos) return 0;
  try {
    config::Home home = config::cc_mcp_home();
    runtime::StateStore state(home);
    // The update died: its lock is free now (or another update took it,
    // whose own start recovers first).
    FileLock lock(update_lock_path(home, server), std::chrono::minutes(2),
                  "another cc-mcp update of " + server);
    docker::Engine engine = docker::Engine::from_environment();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
    for (;;) {  // an engine that restarts answers again after a while
      try {
        engine.api_version();
        break;
      } catch (const Error& error) {
        if (std::chrono::steady_clock::now() > deadline) throw;
        std::this_thread::sleep_for(std::chrono::seconds(1));
      }
    }
    Recovery recovery = recover(engine, state, server, std::chrono::seconds(30));
    if (!recovery.acted) {
      log(server, "the update ended without a replacement in progress");
      return 0;
    }
    bool died = said.find("unfinished") == std::string::npos;
    std::string why = "the " + recovery.journal.action + " (pid " +
                      std::to_string(recovery.journal.pid) + ") " +
                      (died ? "died while replacing the container"
                            : "could not finish replacing the container (the engine stopped "
                              "answering)");
    record_recovery(state, server, recovery, why);
    log(server, why + ": " + recovery.detail);
    return 0;
  } catch (const Error& error) {
    log(server, "recovery failed: " + error.message());
    return 1;
  }
}

}  // namespace ccmcp::updates
