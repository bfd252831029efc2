// The mcp.json entry a package becomes (`info` shows it, `install` writes
// it): docker mode, the package's source with `updatePolicy: manual` (an
// installed server changes only when its user says so), its volumes and
// environment with what the user gave on the command line over the
// package's defaults, its arguments and its docker block.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/model.h"
#include "marketplace/package.h"

namespace ccmcp::marketplace {

struct VolumeChoice {
  std::string host;       // as mcp.json will hold it: "./project" or an absolute path
  std::string container;  // "/workspace"
  bool read_only = false;
  bool from_package = false;  // the package's default, not the user's
};

struct EntryChoices {
  std::string version;  // "" = whatever the source's latest is
  std::vector<VolumeChoice> volumes;
  config::StringPairs environment;  // KEY=VALUE given, over the package's defaults
  bool enabled = true;
};

// The package's volumes with the user's over them: a volume given for a
// container path the package names replaces its default; others are
// added. `given` are HOST:CONTAINER[:ro] as typed; a relative HOST is
// taken from `cwd` and written relative to `config_dir` when it lies in
// it. Throws Error (usage) for a malformed one.
std::vector<VolumeChoice> choose_volumes(const Package& package,
                                         const std::vector<std::string>& given,
                                         const std::filesystem::path& cwd,
                                         const std::filesystem::path& config_dir);

// KEY=VALUE pairs of --env, in order; throws Error (usage) for a malformed one.
config::StringPairs parse_environment(const std::vector<std::string>& given);

// The entry under "mcpServers". Required variables that were not given
// appear as "<description>" placeholders only for `info`; install checks
// them first (compatibility.h).
nlohmann::ordered_json server_entry(const Package& package, const EntryChoices& choices);

// The default choices of a package (what `info` shows).
EntryChoices default_choices(const Package& package, const std::string& version);

}  // namespace ccmcp::marketplace
