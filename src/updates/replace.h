// Replacing a running server's container by one of another image on the
// same port, so that either the old version or the new one is there to
// answer at every moment a step can fail, and after a kill:
//
//   1. the journal (state: servers.NAME.updates.inProgress) says what is
//      being replaced by what;
//   2. mcp-NAME is renamed mcp-NAME-previous and stopped (it frees the
//      port, and stays whole for the way back);
//   3. mcp-NAME is created from the new image and must answer MCP
//      initialize through its URL;
//   4. the new image becomes cc-mcp/NAME:latest, the previous container is
//      removed, the journal cleared.
//
// A failure in 3 puts the previous container back under its name and starts
// it (put_back). A process killed between 1 and 4 leaves the journal, and
// recover() (run by the update's guard, guard.h) finishes or undoes it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "config/model.h"
#include "docker/engine.h"
#include "net/http_client.h"
#include "runtime/lifecycle.h"
#include "runtime/state.h"
#include "updates/history.h"

namespace ccmcp::updates {

// "mcp-NAME-previous"
std::string previous_container_name(const std::string& container);

struct Journal {
  std::string server;
  std::string container;  // mcp-NAME
  std::string step;       // "replacing"
  VersionRef from, to;
  int port = 0;
  int pid = 0;         // the update's process
  std::string action;  // "update", "rollback"
};

void write_journal(runtime::StateStore& state, const Journal& journal);
void clear_journal(runtime::StateStore& state, const std::string& server);
std::optional<Journal> read_journal(const runtime::StateStore& state, const std::string& server);

// Why a replacement failed, and whether the previous version runs again.
class ReplaceFailed : public Error {
 public:
  ReplaceFailed(const Error& error, std::vector<std::string> log_tail, bool put_back)
      : Error(error), log_tail_(std::move(log_tail)), put_back_(put_back) {}
  const std::vector<std::string>& log_tail() const { return log_tail_; }
  bool put_back() const { return put_back_; }

 private:
  std::vector<std::string> log_tail_;
  bool put_back_;
};

struct Replacement {
  const config::Server& server;
  runtime::ImageRef next, previous;
  std::vector<std::string> args;  // images::container_args(server)
  runtime::StartOptions start;
  Action action = Action::update;
};

// Steps 1-4 for a running server. Throws ReplaceFailed when the new
// container did not answer (the previous one is back, or could not be put
// back: put_back() says which).
runtime::StartReport replace_container(docker::Engine& engine, net::HttpClient& http,
                                       runtime::StateStore& state, const Replacement& replacement);

// What recover() did.
struct Recovery {
  bool acted = false;               // there was a journal
  Outcome outcome = Outcome::kept;  // kept the new, or rolled_back to the previous
  std::string detail;
  Journal journal;
};

// Finishes or undoes a replacement whose process died (its journal is
// there): the new container is kept when it runs and answers, else the
// previous one is put back and started. Needs no mcp.json: only the
// containers and the state.
Recovery recover(docker::Engine& engine, runtime::StateStore& state, const std::string& server,
                 std::chrono::milliseconds timeout);

// The history entry of what recover() did; its reason is `why` (who died
// and how), then the recovery's detail.
void record_recovery(runtime::StateStore& state, const std::string& server,
                     const Recovery& recovery, const std::string& why);

}  // namespace ccmcp::updates
