// Parsing and dispatch. CLI11 parses options; the words around it (help,
// unknown commands, error lines) are ours so that they read like the rest.
#include <CLI/CLI.hpp>
#include <map>

#include "cli/command.h"
#include "cli/update_notice.h"
#include "util/strings.h"
#include "version.h"

namespace ccmcp::cli {

void add_secret_commands(CommandTable& table);  // commands_secrets.cc: secret set, list, rm

CommandTable all_commands() {
  CommandTable table;
  add_server_commands(table);
  add_runtime_commands(table);
  add_status_commands(table);
  add_logs_commands(table);
  add_audit_commands(table);
  add_config_commands(table);
  add_secret_commands(table);
  add_image_commands(table);
  add_test_commands(table);
  add_update_commands(table);
  add_update_apply_commands(table);
  add_schedule_commands(table);
  add_marketplace_commands(table);
  add_client_commands(table);
  return table;
}

namespace {

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) words.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

void add_global_options(CLI::App& app, GlobalOptions& options, bool& help, bool& version) {
  app.add_option("--config", options.config, "use this mcp.json")->option_text("FILE");
  app.add_flag("--json", options.json, "print JSON for scripts");
  app.add_flag("--no-color", options.no_color, "no colour");
  app.add_flag("-q,--quiet", options.quiet, "no warnings or notes");
  app.add_flag("-v,--verbose", options.verbose, "say more");
  app.add_flag("-h,--help", help, "show help");
  app.add_flag("--version", version, "print the version");
}

std::string top_help(const CommandTable& table) {
  std::string text = "cc-mcp " CCMCP_VERSION
                     ": run MCP servers in hardened Docker containers\n\n"
                     "Usage: cc-mcp [OPTIONS] COMMAND [ARGS...]\n";
  std::vector<std::string> groups;
  for (const auto& command : table)
    if (std::find(groups.begin(), groups.end(), command.group) == groups.end())
      groups.push_back(command.group);
  size_t width = 0;
  for (const auto& command : table)
    width = std::max(width, command.path.size() + 1 + command.usage.size());
  for (const auto& group : groups) {
    text += "\n" + group + ":\n";
    for (const auto& command : table) {
      if (command.group != group) continue;
      std::string left = command.path + (command.usage.empty() ? "" : " " + command.usage);
      text += "  " + left + std::string(width - left.size() + 2, ' ') + command.summary + "\n";
    }
  }
  text +=
      "\nOptions:\n"
      "  --config FILE   use this mcp.json (else $CC_MCP_CONFIG, ./mcp.json,\n"
      "                  $CC_MCP_HOME/mcp.json; CC_MCP_HOME defaults to ~/.cc-mcp)\n"
      "  --json          print JSON for scripts\n"
      "  --no-color      no colour (also when NO_COLOR is set or output is not a terminal)\n"
      "  -q, --quiet     no warnings or notes on stderr (errors and results still print)\n"
      "  -v, --verbose   say more\n"
      "  -h, --help      show this help; COMMAND --help shows a command's own\n"
      "  --version       print the version\n";
  return text;
}

std::string command_help(const Command& command, CLI::App& app) {
  std::string text = "Usage: cc-mcp " + command.path +
                     (command.usage.empty() ? "" : " " + command.usage) + "\n\n" + command.summary +
                     "\n";
  if (!command.details.empty()) text += "\n" + command.details + "\n";
  std::vector<std::pair<std::string, std::string>> rows;
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_positional()) continue;
    std::string names = option->get_name(false, true);
    if (!option->get_option_text().empty()) names += " " + option->get_option_text();
    rows.emplace_back(names, option->get_description());
  }
  if (!rows.empty()) {
    size_t width = 0;
    for (const auto& [names, description] : rows) width = std::max(width, names.size());
    text += "\nOptions:\n";
    for (const auto& [names, description] : rows)
      text += "  " + names + std::string(width - names.size() + 2, ' ') + description + "\n";
  }
  text += "\nGlobal options (--config, --json, --no-color, -q, -v) work here too.\n";
  return text;
}

// The first words of the command line that are not options: the command.
std::vector<std::string> command_words(int argc, char** argv) {
  std::vector<std::string> words;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") break;
    if (arg == "--config") {
      ++i;
      continue;
    }
    if (!arg.empty() && arg[0] == '-') continue;
    words.push_back(arg);
  }
  return words;
}

// Refuses an unknown command word before CLI11 sees it, with a suggestion.
void check_command_words(const CommandTable& table, const std::vector<std::string>& words) {
  if (words.empty()) return;
  std::vector<std::string> top;
  std::map<std::string, std::vector<std::string>> nested;
  for (const auto& command : table) {
    auto parts = split_words(command.path);
    if (std::find(top.begin(), top.end(), parts[0]) == top.end()) top.push_back(parts[0]);
    if (parts.size() > 1) nested[parts[0]].push_back(parts[1]);
  }
  auto refuse = [](const std::string& word, const std::string& what,
                   const std::vector<std::string>& known, const std::string& help) {
    std::string hint;
    if (auto near = nearest_match(word, known)) hint = "did you mean " + quote(*near) + "? ";
    throw Error(ErrorKind::usage, quote(word), "unknown " + what, hint + "see " + help);
  };
  if (std::find(top.begin(), top.end(), words[0]) == top.end())
    refuse(words[0], "command", top, "cc-mcp --help");
  auto it = nested.find(words[0]);
  if (it != nested.end() && words.size() > 1 &&
      std::find(it->second.begin(), it->second.end(), words[1]) == it->second.end())
    refuse(words[1], words[0] + " command", it->second, "cc-mcp " + words[0] + " --help");
}

std::string lower_first(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

Error missing_value(const std::string& option, const std::string& help) {
  if (option == "--config")  // as locate_config says it for --config ""
    return Error(ErrorKind::usage, "--config", "needs a file name", "e.g. --config ./mcp.json");
  return Error(ErrorKind::usage, option, "needs a value", help);
}

// An option given as "--name=" with nothing after the '=': CLI11 would take
// the next word as its value ("--config= list" would not run list).
void check_empty_values(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.size() > 3 && arg.rfind("--", 0) == 0 && arg.back() == '=')
      throw missing_value(arg.substr(0, arg.size() - 1), "see cc-mcp --help");
  }
}

// --json, looked for before parsing so that usage errors speak JSON too.
bool wants_json(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") break;
    if (arg == "--json") return true;
  }
  return false;
}

// CLI11's parse errors in our words: the bad value quoted, the command's help named.
Error usage_error(const CLI::ParseError& error, CLI::App& app, const std::string& command) {
  std::string help = "see " + command + " --help";
  if (dynamic_cast<const CLI::ExtrasError*>(&error)) {
    std::vector<std::string> extras = app.remaining(true);
    std::string first = extras.empty() ? std::string{} : extras.front();
    bool option = !first.empty() && first[0] == '-';
    return Error(ErrorKind::usage, quote(first), option ? "unknown option" : "unexpected argument",
                 help);
  }
  std::string what = error.what();
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) && what.rfind("--", 0) == 0 &&
      what.find(" missing") != std::string::npos)
    return missing_value(what.substr(0, what.find(':')), help);
  return Error(ErrorKind::usage, command, lower_first(what), help);
}
int report(Output& out, const GlobalOptions& options, const Error& error) {
  if (const auto* invalid = dynamic_cast<const config::InvalidConfig*>(&error)) {
    for (const auto& diagnostic : invalid->diagnostics()) out.diagnostic(diagnostic);
    if (options.json) {
      nlohmann::ordered_json diagnostics = nlohmann::ordered_json::array();
      for (const auto& d : invalid->diagnostics()) diagnostics.push_back(d.format());
      out.print_json(
          {{"error",
            {{"kind", "config"}, {"message", error.message()}, {"diagnostics", diagnostics}}}});
    }
    return 1;
  }
  out.error(error.message());
  if (options.json) out.print_json({{"error", {{"message", error.message()}}}});
  return error.exit_code();
}

}  // namespace

int run_cli(int argc, char** argv) {
  GlobalOptions options;
  bool help = false, version = false;
  CommandTable table = all_commands();

  CLI::App app{"cc-mcp", "cc-mcp"};
  app.set_help_flag();
  app.fallthrough();
  app.allow_extras(false);
  add_global_options(app, options, help, version);

  // CLI11 apps for each command path, nested for "config validate".
  std::map<const CLI::App*, const Command*> command_of;
  std::map<std::string, CLI::App*> apps;
  for (const auto& command : table) {
    CLI::App* parent = &app;
    std::string prefix;
    for (const auto& word : split_words(command.path)) {
      prefix += (prefix.empty() ? "" : " ") + word;
      auto& sub = apps[prefix];
      if (!sub) {
        sub = parent->add_subcommand(word, "");
        sub->set_help_flag();
        sub->fallthrough();
      }
      parent = sub;
    }
    command.define(*parent);
    command_of[parent] = &command;
  }

  options.json = wants_json(argc, argv);
  Output early(options);
  try {
    check_empty_values(argc, argv);
    check_command_words(table, command_words(argc, argv));
    app.parse(argc, argv);
  } catch (const Error& error) {
    return report(early, options, error);
  } catch (const CLI::ParseError& error) {
    std::string subject = "cc-mcp";
    for (CLI::App* sub = &app; !sub->get_subcommands().empty();) {
      sub = sub->get_subcommands().front();
      subject += " " + sub->get_name();
    }
    return report(early, options, usage_error(error, app, subject));
  }
  options.config_given = app.count("--config") > 0;

  Output out(options);
  // The deepest command named on the line.
  CLI::App* selected = &app;
  while (!selected->get_subcommands().empty()) selected = selected->get_subcommands().front();

  if (version) {
    if (options.json)
      out.print_json({{"version", CCMCP_VERSION}});
    else
      std::printf("cc-mcp %s\n", CCMCP_VERSION);
    return 0;
  }
  auto found = command_of.find(selected);
  if (help || found == command_of.end()) {
    if (found != command_of.end()) {
      std::printf("%s", command_help(*found->second, *selected).c_str());
    } else if (selected != &app) {
      // A group word alone ("cc-mcp config"): its commands.
      std::string group = selected->get_name();
      CommandTable part;
      for (const auto& command : table)
        if (command.path.rfind(group + " ", 0) == 0) part.push_back(command);
      std::printf("%s", top_help(part).c_str());
      return help ? 0 : 2;
    } else {
      std::printf("%s", top_help(table).c_str());
    }
    return 0;
  }

  Context context{options, out};
  try {
    int code = found->second->run(context);
    if (found->second->notice) print_update_notice(options);
    return code;
  } catch (const Error& error) {
    return report(out, options, error);
  } catch (const std::exception& error) {
    out.error(std::string("internal error: ") + error.what() +
              " (this is a bug in cc-mcp; please report it)");
    return 70;
  }
}

}  // namespace ccmcp::cli
