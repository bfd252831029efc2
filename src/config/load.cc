#include "config/load.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "config/home.h"
#include "util/fs.h"

namespace ccmcp::config {

namespace {
std::string problem_count(const std::vector<Diagnostic>& diagnostics) {
  size_t errors = count(diagnostics, Severity::error);
  return std::to_string(errors) + (errors == 1 ? " error" : " errors");
}
}  // namespace

InvalidConfig::InvalidConfig(const std::string& display, std::vector<Diagnostic> diagnostics)
    : Error(ErrorKind::config, display, "has " + problem_count(diagnostics),
            "fix them, then run cc-mcp config validate"),
      diagnostics_(std::move(diagnostics)) {}

ConfigLocation locate_config(const std::optional<std::string>& flag) {
  auto make = [](const std::string& given) {
    return ConfigLocation{std::filesystem::absolute(given).lexically_normal(), given};
  };
  if (flag) {
    if (flag->empty())
      throw Error(ErrorKind::usage, "--config", "needs a file name", "e.g. --config ./mcp.json");
    return make(*flag);
  }
  if (const char* env = std::getenv("CC_MCP_CONFIG"); env && *env) return make(env);
  std::error_code ec;
  if (std::filesystem::exists("mcp.json", ec)) return make("mcp.json");
  std::filesystem::path home_file = cc_mcp_home().config_file();
  if (std::filesystem::exists(home_file, ec)) return {home_file, home_file.string()};
  throw Error(ErrorKind::config, "mcp.json",
              "not found in this folder nor at " + home_file.string(),
              "create one, or name it with --config FILE or $CC_MCP_CONFIG");
}

ConfigLocation locate_config_or_default(const std::optional<std::string>& flag) {
  std::error_code ec;
  const char* env = std::getenv("CC_MCP_CONFIG");
  if (flag || (env && *env) || std::filesystem::exists("mcp.json", ec)) return locate_config(flag);
  std::filesystem::path home_file = cc_mcp_home().config_file();
  return {home_file, home_file.string()};
}

LoadedConfig check_config_text(const ConfigLocation& location, std::string text) {
  LoadedConfig loaded{location, std::nullopt, {}};
  loaded.validation.config.file = location.path;
  loaded.validation.config.dir = location.path.parent_path();
  auto parsed = parse_jsonc(std::move(text));
  if (auto* problem = std::get_if<ParseProblem>(&parsed)) {
    loaded.validation.diagnostics.push_back(
        {Severity::error, location.display, problem->pos, "", problem->problem, problem->hint});
    return loaded;
  }
  loaded.document = std::move(std::get<JsoncDocument>(parsed));
  loaded.validation = validate(*loaded.document, location.path, location.display);
  // Errors first, then warnings, each in file order: the first line a user
  // reads is the first thing to fix.
  std::stable_sort(loaded.validation.diagnostics.begin(), loaded.validation.diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     if (a.severity != b.severity) return a.severity == Severity::error;
                     return a.pos.offset < b.pos.offset;
                   });
  return loaded;
}

LoadedConfig load_config(const ConfigLocation& location) {
  return check_config_text(location,
                           read_text_file(location.path, location.display, kMaxConfigBytes));
}

LoadedConfig load_valid_config(const ConfigLocation& location) {
  LoadedConfig loaded = load_config(location);
  if (!loaded.validation.ok()) throw InvalidConfig(location.display, loaded.validation.diagnostics);
  return loaded;
}

}  // namespace ccmcp::config
