#include "marketplace/install_config.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include "util/strings.h"

namespace ccmcp::marketplace::detail {

Json current_root(const config::ConfigLocation& location, bool& exists) {
  std::error_code ec;
  exists = std::filesystem::exists(location.path, ec);
  if (!exists) return Json{{"mcpServers", Json::object()}};
  config::LoadedConfig loaded = config::load_valid_config(location);
  Json root = loaded.document->root;
  if (!root.contains("mcpServers")) root["mcpServers"] = Json::object();
  return root;
}

Error already_there(const std::string& name, const std::string& display) {
  return Error(ErrorKind::usage, quote(name), "is already a server in " + display,
               "--as NAME installs it under another name; cc-mcp uninstall " + name +
                   " removes the one there");
}

config::LoadedConfig candidate_config(const config::ConfigLocation& location, Json root,
                                      const std::string& name, const Json& entry) {
  root["mcpServers"][name] = entry;
  config::LoadedConfig candidate = config::check_config_text(location, root.dump(2));
  std::string prefix = "mcpServers." + name;
  for (const auto& diagnostic : candidate.validation.diagnostics) {
    if (diagnostic.severity != config::Severity::error) continue;
    std::string where =
        diagnostic.path.rfind(prefix, 0) == 0
            ? diagnostic.path.substr(std::min(prefix.size() + 1, diagnostic.path.size()))
            : diagnostic.path;
    throw Error(ErrorKind::usage, quote(name),
                "its mcp.json entry would not be valid: " + (where.empty() ? "" : where + ": ") +
                    diagnostic.problem,
                diagnostic.hint.empty() ? "check --volume and --env" : diagnostic.hint);
  }
  return candidate;
}

void prepare_volumes(const config::Server& server, const std::vector<VolumeChoice>& choices,
                     InstallUndo& undo, InstallResult& result, InstallListener& listener) {
  for (const auto& mount : server.volumes) {
    std::error_code ec;
    if (std::filesystem::exists(mount.host, ec)) continue;
    bool from_package = false;
    for (const auto& choice : choices)
      if (choice.container == mount.container) from_package = choice.from_package;
    if (!from_package)
      throw Error(ErrorKind::usage, "--volume",
                  "its host folder " + quote(mount.host.string()) + " does not exist",
                  "create it first, or name another");
    std::filesystem::path missing = mount.host;
    std::vector<std::filesystem::path> made;
    while (!missing.empty() && !std::filesystem::exists(missing, ec)) {
      made.push_back(missing);
      missing = missing.parent_path();
    }
    std::filesystem::create_directories(mount.host, ec);
    if (ec)
      throw Error(ErrorKind::io, mount.host.string(),
                  "cannot create the folder of its " + mount.container + " volume: " + ec.message(),
                  "give another with --volume DIR:" + mount.container);
    for (auto it = made.rbegin(); it != made.rend(); ++it) undo.folder_created(*it, false);
    // The container runs as 1001:1001 and the package meant to write here:
    // root hands the folder over, anyone else opens it (a folder the user
    // named is left as it is; the README says so).
    std::string access = "writable by the container's user 1001";
    if (!mount.read_only) {
      if (::geteuid() == 0) {
        if (::chown(mount.host.c_str(), 1001, 1001) != 0) access = "owned by root";
      } else {
        std::filesystem::permissions(mount.host, std::filesystem::perms::all, ec);
        access = "mode 0777, for the container's user 1001";
      }
    }
    result.created_folders.push_back(mount.host.string());
    listener.note("created " + mount.host_spec + " (" + mount.host.string() + ", " + access +
                  ") for its " + mount.container + " volume");
  }
}

bool create_config_file(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == EEXIST) return false;
    throw Error(ErrorKind::io, path.string(), "cannot create: " + std::string(strerror(errno)),
                "check the folder's permissions, or name another with --config");
  }
  static const char kEmpty[] = "{\n  \"mcpServers\": {}\n}\n";
  bool written = ::write(fd, kEmpty, sizeof kEmpty - 1) == static_cast<ssize_t>(sizeof kEmpty - 1);
  ::close(fd);
  if (!written) {
    std::filesystem::remove(path, ec);
    throw Error(ErrorKind::io, path.string(), "cannot write", "free some space");
  }
  return true;
}

}  // namespace ccmcp::marketplace::detail
