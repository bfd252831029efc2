// A test driver for the external-mode module (src/runtime/external.h),
// standing in for the runtime's start/stop/status/logs commands in
// tests/external/external_test.bash. $CC_MCP_HOME is the home.
//
//   external_driver start MCP_JSON NAME    prints {"pid", "port", "url", ...}
//   external_driver stop NAME              prints {"stopped": true|false}
//   external_driver status NAME...         prints one JSON object per line
//   external_driver logs NAME [TAIL]       prints the log lines, stamped
//
// Errors print as cc-mcp prints them ("cc-mcp: error: ...") with exit 1.
// Like cc-mcp, it becomes the supervisor when run with the hidden argument.
#include <cstdio>
#include <cstring>
#include <string>

#include "config/load.h"
#include "runtime/external.h"

namespace {

using namespace ccmcp;
using Json = nlohmann::json;

int start(const std::string& file, const std::string& name) {
  auto loaded = config::load_valid_config({std::filesystem::absolute(file), file});
  const config::Server* server = loaded.validation.config.find(name);
  if (!server) throw Error(ErrorKind::not_found, quote(name), "no such server");
  runtime::StateStore state(config::cc_mcp_home());
  auto started = runtime::external::start(loaded.validation.config, *server, state);
  std::printf("%s\n", Json({{"pid", started.pid},
                            {"port", started.port},
                            {"url", started.url},
                            {"alreadyRunning", started.already_running},
                            {"replaced", started.replaced}})
                          .dump()
                          .c_str());
  return 0;
}

int status(int argc, char** argv) {
  std::vector<std::string> names(argv + 2, argv + argc);
  for (const auto& s : runtime::external::statuses(config::cc_mcp_home(), names)) {
    Json line = {{"name", s.name},
                 {"running", s.running},
                 {"restarting", s.restarting},
                 {"pid", s.pid},
                 {"bridge", s.bridge_pid},
                 {"restarts", s.restarts},
                 {"port", s.port},
                 {"url", s.url},
                 {"uptime", s.uptime().count()},
                 {"lastExit", s.last_exit},
                 {"cpu", s.cpu_percent},
                 {"rss", s.rss_bytes},
                 {"processes", s.processes},
                 {"log", s.log_file.string()}};
    std::printf("%s\n", line.dump().c_str());
  }
  return 0;
}

int logs(const std::string& name, size_t tail) {
  runtime::LogQuery query;
  query.tail = tail;
  for (const auto& line : runtime::external::read_log(config::cc_mcp_home(), name, query))
    std::printf("%s\n", line.format(true).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], runtime::external::kSupervisorArgument) == 0)
    return runtime::external::supervisor_main(argv[2]);
  std::string command = argc > 1 ? argv[1] : "";
  try {
    if (command == "start" && argc == 4) return start(argv[2], argv[3]);
    if (command == "stop" && argc == 3) {
      bool stopped = runtime::external::stop(config::cc_mcp_home(), argv[2]);
      std::printf("%s\n", Json({{"stopped", stopped}}).dump().c_str());
      return 0;
    }
    if (command == "status" && argc >= 3) return status(argc, argv);
    if (command == "logs" && argc >= 3) return logs(argv[2], argc > 3 ? std::stoul(argv[3]) : 0);
  } catch (const Error& error) {
    std::fprintf(stderr, "cc-mcp: error: %s\n", error.message().c_str());
    return 1;
  }
  std::fprintf(stderr,
               "usage: external_driver start MCP_JSON NAME | stop NAME | status NAME... | "
               "logs NAME [TAIL]\n");
  return 2;
}
