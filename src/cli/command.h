// The command table: each command is a name, a line of help, its options
// and one function returning the exit code. Groups order --help.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/output.h"
#include "config/load.h"

namespace CLI {
class App;
}

namespace ccmcp::cli {

struct Context {
  const GlobalOptions& options;
  Output& out;

  config::ConfigLocation locate_config() const;
  // Loads mcp.json, prints its warnings, throws InvalidConfig on errors.
  config::LoadedConfig load_valid_config() const;
  // Throws a not_found Error with the nearest name when `name` is unknown.
  const config::Server& server(const config::Config& config, const std::string& name) const;
};

struct Command {
  std::string group;                      // "Servers", "Config": the heading in --help
  std::string path;                       // "list", "config validate"
  std::string usage;                      // "NAME... [--mode docker|external]"
  std::string summary;                    // one line for --help
  std::string details;                    // more, for `cc-mcp COMMAND --help`
  std::function<void(CLI::App&)> define;  // adds the command's options
  std::function<int(Context&)> run;
  // Followed by the update notice (cli/update_notice.h). Off for commands
  // that speak a protocol on their streams (connect) or show updates
  // themselves.
  bool notice = true;
};

using CommandTable = std::vector<Command>;

void add_server_commands(CommandTable& table);
void add_config_commands(CommandTable& table);
void add_runtime_commands(CommandTable& table);
void add_status_commands(CommandTable& table);
void add_logs_commands(CommandTable& table);
void add_audit_commands(CommandTable& table);
void add_image_commands(CommandTable& table);
void add_client_commands(CommandTable& table);  // client, then connect
void add_connect_command(CommandTable& table);
void add_test_commands(CommandTable& table);
void add_update_commands(CommandTable& table);        // check-updates
void add_update_apply_commands(CommandTable& table);  // update, update-all, rollback, history
void add_schedule_commands(CommandTable& table);
void add_marketplace_commands(CommandTable& table);  // search, info, install, uninstall, catalog
void add_install_commands(CommandTable& table);

// Everything in --help order.
CommandTable all_commands();

// The whole command line: parses, dispatches, prints errors, returns the
// exit code. Never throws.
int run_cli(int argc, char** argv);

}  // namespace ccmcp::cli
