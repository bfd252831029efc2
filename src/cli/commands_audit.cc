// audit: the tool calls a server was asked for, from its bridge's audit
// file ($CC_MCP_HOME/audit/NAME/audit.jsonl and its rotated files).
#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdio>

#include "cli/command.h"
#include "cli/interrupt_flag.h"
#include "config/home.h"
#include "runtime/audit_reader.h"
#include "runtime/audit_volume.h"

namespace ccmcp::cli {

namespace {

struct AuditOptions {
  std::string name;
  bool follow = false;
  std::string since;
  std::string last;  // -n N
};

size_t parse_last(const std::string& text) {
  if (text.empty()) return 0;
  if (text.find_first_not_of("0123456789") != std::string::npos || text.size() > 9 ||
      std::stoul(text) == 0)
    throw Error(ErrorKind::usage, "-n", quote(text) + " is not a number of entries",
                "e.g. -n 20 for the last twenty");
  return std::stoul(text);
}

void print_entry(Context& ctx, const runtime::AuditEntry& entry) {
  std::string text = (ctx.out.json() ? entry.raw : runtime::format_audit_entry(entry)) + "\n";
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

int audit(Context& ctx, const AuditOptions& options) {
  if (options.name.empty())
    throw Error(ErrorKind::usage, "cc-mcp audit", "needs a server name",
                "e.g. cc-mcp audit filesystem");
  runtime::AuditQuery query;
  query.last = parse_last(options.last);
  if (!options.since.empty())
    query.since = runtime::parse_audit_since(options.since, std::chrono::system_clock::now());
  auto loaded = ctx.load_valid_config();
  const config::Server& server = ctx.server(loaded.validation.config, options.name);
  if (!server.audited())
    throw Error(ErrorKind::config, quote(server.name),
                "its audit log is off (\"audit\": false in mcp.json)",
                "remove \"audit\": false from its entry, then cc-mcp restart " + server.name);
  auto file = runtime::audit_file(config::cc_mcp_home(), server.name);
  auto entries = runtime::read_audit(file, query);
  // None at all, not none since --since: the server never had a call.
  if (entries.empty() && !options.follow && runtime::read_audit(file, {}).empty())
    throw Error(ErrorKind::not_found, quote(server.name), "has no audit entries yet",
                "its bridge writes one per tool call once it runs: cc-mcp start " + server.name);
  for (const auto& entry : entries) print_entry(ctx, entry);
  if (!options.follow) return 0;
  InterruptFlag interrupt;
  runtime::follow_audit(
      file,
      [&](const runtime::AuditEntry& entry) {
        print_entry(ctx, entry);
        return true;
      },
      interrupt.flag());
  return 0;
}

}  // namespace

void add_audit_commands(CommandTable& table) {
  auto options = std::make_shared<AuditOptions>();
  Command command;
  command.group = "Running";
  command.path = "audit";
  command.usage = "NAME [-f]";
  command.summary = "the tool calls a server answered (--since TIME, -n N, --json)";
  command.details =
      "One line per tools/call, resources/read and prompts/get: local time, session,\n"
      "method, tool (resource URI, prompt), duration, argument size, ok or the error.\n"
      "The arguments themselves are never kept, only their size and SHA-256 (--json).\n"
      "-f keeps printing new calls until Ctrl-C. --since takes a duration (10m, 2h)\n"
      "or an RFC 3339 time. \"audit\": false in a server's mcp.json entry turns it off.";
  command.define = [options](CLI::App& app) {
    app.add_option("NAME", options->name, "the server");
    app.add_flag("-f,--follow", options->follow, "keep printing new calls");
    app.add_option("--since", options->since, "only calls since then")->option_text("TIME");
    app.add_option("-n", options->last, "only the last N calls")->option_text("N");
  };
  command.run = [options](Context& ctx) { return audit(ctx, *options); };
  table.push_back(std::move(command));
}

}  // namespace ccmcp::cli
