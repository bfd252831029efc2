// The mcp.json side of an install (internal to src/marketplace): the file
// as it is, the entry checked as mcp.json checks it, the host folders of its
// volumes, and the file created by a first install.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "config/load.h"
#include "marketplace/entry.h"
#include "marketplace/install_undo.h"
#include "marketplace/installer.h"

namespace ccmcp::marketplace::detail {

using Json = nlohmann::ordered_json;

// The data of mcp.json now, or an empty one ({"mcpServers": {}}) when there
// is no file (`exists` says which). Throws InvalidConfig for a file with errors.
Json current_root(const config::ConfigLocation& location, bool& exists);

// The refusal of a name mcp.json has already.
Error already_there(const std::string& name, const std::string& display);

// `root` with the entry added, checked as mcp.json will be: the server it
// makes is in the result's config. Throws Error (usage) naming the first
// problem of the entry.
config::LoadedConfig candidate_config(const config::ConfigLocation& location, Json root,
                                      const std::string& name, const Json& entry);

// Host folders of the volumes: the package's defaults are made when missing
// (handed to the container's user 1001; undone on failure), the user's must
// exist (Error usage).
void prepare_volumes(const config::Server& server, const std::vector<VolumeChoice>& choices,
                     InstallUndo& undo, InstallResult& result, InstallListener& listener);

// Creates mcp.json ({"mcpServers": {}}) when there is none; false when it
// appeared meanwhile.
bool create_config_file(const std::filesystem::path& path);

}  // namespace ccmcp::marketplace::detail
