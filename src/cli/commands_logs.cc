// logs: a server's output, stdout to stdout and stderr to stderr.
#include <CLI/CLI.hpp>
#include <csignal>
#include <thread>

#include "cli/command.h"
#include "cli/interrupt_flag.h"
#include "cli/runtime_support.h"
#include "config/effective.h"
#include "config/units.h"
#include "docker/containers.h"
#include "runtime/containers.h"
#include "runtime/external.h"

namespace ccmcp::cli {

namespace {

struct LogsOptions {
  std::string name;
  bool follow = false;
  std::string tail;
  std::string since;
  bool timestamps = false;
};

std::string since_argument(const std::string& text) {
  if (text.empty()) return {};
  if (auto duration = config::parse_duration(text))
    return docker::unix_time_text(std::chrono::time_point_cast<std::chrono::nanoseconds>(
        std::chrono::system_clock::now() - *duration));
  if (auto time = docker::parse_engine_time(text)) return docker::unix_time_text(*time);
  bool number = text.find_first_not_of("0123456789.") == std::string::npos &&
                std::count(text.begin(), text.end(), '.') <= 1 && text.front() != '.';
  if (number) return text;
  throw Error(ErrorKind::usage, "--since", quote(text) + " is not a time",
              "use a duration like 10m or 2h, an RFC 3339 time like 2026-01-02T15:04:05Z, "
              "or unix seconds");
}

void check_tail(const std::string& tail) {
  if (tail.empty() || tail == "all") return;
  if (tail.find_first_not_of("0123456789") != std::string::npos || tail.size() > 9)
    throw Error(ErrorKind::usage, "--tail", quote(tail) + " is not a number of lines",
                "e.g. --tail 100, or --tail all");
}

void write_out(docker::LogStream stream, std::string_view text) {
  std::FILE* to = stream == docker::LogStream::stderr_ ? stderr : stdout;
  std::fwrite(text.data(), 1, text.size(), to);
  std::fflush(to);
}

// Follows the log across restarts of the container: when the engine ends
// the stream, waits for the container to run again and goes on from the
// last line seen; ends with a line on stderr when it stopped or went away.
int follow(docker::Engine& engine, const std::string& server, const std::string& container,
           docker::LogOptions options, bool timestamps) {
  InterruptFlag flag;
  options.cancel = flag.flag();
  options.timestamps = true;  // to go on where it stopped, after a restart
  std::optional<docker::EngineTime> last;
  while (true) {
    bool cancelled = docker::stream_logs(
        engine, container, options, [&](docker::LogStream stream, std::string_view piece) {
          size_t space = piece.find(' ');
          if (space != std::string_view::npos)
            if (auto time = docker::parse_engine_time(piece.substr(0, space))) {
              last = time;
              if (!timestamps) piece.remove_prefix(space + 1);
            }
          write_out(stream, piece);
        });
    if (cancelled || flag.raised()) return 0;
    // The stream ended: the container stopped, or is restarting.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::string status;
    while (true) {
      auto inspect = docker::inspect_container(engine, container);
      if (!inspect) {
        std::fprintf(stderr, "cc-mcp: %s: its container was removed; end of log\n", server.c_str());
        return 0;
      }
      status = runtime::state_of(*inspect);
      if (status == "running") break;
      if (status != "restarting" || std::chrono::steady_clock::now() > deadline) {
        std::fprintf(stderr, "cc-mcp: %s: the container is %s (exit code %d); end of log\n",
                     server.c_str(), status.c_str(), (*inspect)["State"].value("ExitCode", 0));
        return 0;
      }
      for (int i = 0; i < 5 && !flag.raised(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (flag.raised()) return 0;
    }
    std::fprintf(stderr, "cc-mcp: %s: the container restarted; following on\n", server.c_str());
    options.tail.clear();
    if (last) options.since = docker::unix_time_text(*last + std::chrono::nanoseconds(1));
  }
}

// An external server's log file: stamped lines of its bridge and server
// (all on stdout: the file does not keep which stream a line came from).
int external_logs(const std::string& name, const LogsOptions& options) {
  config::Home home = config::cc_mcp_home();
  runtime::LogQuery query;
  if (!options.tail.empty() && options.tail != "all") query.tail = std::stoul(options.tail);
  if (!options.since.empty()) {
    std::string since = since_argument(options.since);
    double seconds = std::stod(since);
    query.since = runtime::SystemTime(std::chrono::duration_cast<runtime::SystemTime::duration>(
        std::chrono::duration<double>(seconds)));
  }
  auto print = [&](const runtime::LogLine& line) {
    std::string text = line.format(options.timestamps) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return true;
  };
  auto file = runtime::external::paths_of(home, name).log_file;
  if (!options.follow) {
    if (!std::filesystem::exists(file))
      throw Error(ErrorKind::not_found, quote(name), "has no log yet", "cc-mcp start " + name);
    for (const auto& line : runtime::read_log(file, query)) print(line);
    return 0;
  }
  InterruptFlag flag;
  runtime::follow_log(file, query, print, flag.flag());
  return 0;
}

int logs(Context& ctx, const LogsOptions& options) {
  if (options.name.empty())
    throw Error(ErrorKind::usage, "cc-mcp logs", "needs a server name",
                "e.g. cc-mcp logs filesystem");
  check_tail(options.tail);
  std::string since = since_argument(options.since);
  auto loaded = ctx.load_valid_config();
  const config::Server& server = ctx.server(loaded.validation.config, options.name);
  if (server.mode == config::Mode::external) return external_logs(server.name, options);
  std::string container = config::container_name_of(server);
  docker::Engine engine = docker::Engine::from_environment();
  auto inspect = runtime::find_managed(engine, container, server.name);
  if (!inspect)
    throw Error(ErrorKind::not_found, quote(server.name), "has no container, so no log yet",
                "cc-mcp start " + server.name);

  docker::LogOptions log_options;
  log_options.tail = options.tail;
  log_options.since = since;
  log_options.timestamps = options.timestamps;
  log_options.raw = (*inspect)["Config"].value("Tty", false);
  std::string id = inspect->value("Id", container);
  if (options.follow) return follow(engine, server.name, id, log_options, options.timestamps);
  docker::stream_logs(engine, id, log_options, write_out);
  return 0;
}

}  // namespace

void add_logs_commands(CommandTable& table) {
  auto options = std::make_shared<LogsOptions>();
  Command command;
  command.group = "Running";
  command.path = "logs";
  command.usage = "NAME [-f]";
  command.summary = "a server's output (--tail N, --since TIME, --timestamps)";
  command.details =
      "-f follows the log until Ctrl-C, across restarts of the container. --since takes\n"
      "a duration (10m, 2h), an RFC 3339 time or unix seconds.";
  command.define = [options](CLI::App& app) {
    app.add_option("NAME", options->name, "the server");
    app.add_flag("-f,--follow", options->follow, "keep printing new lines");
    app.add_option("--tail", options->tail, "only the last N lines")->option_text("N");
    app.add_option("--since", options->since, "only lines since then")->option_text("TIME");
    app.add_flag("--timestamps", options->timestamps, "prefix each line with its time");
  };
  command.run = [options](Context& ctx) { return logs(ctx, *options); };
  table.push_back(std::move(command));
}

}  // namespace ccmcp::cli
