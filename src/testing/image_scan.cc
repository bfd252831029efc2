#include "testing/image_scan.h"

#include <cstdio>
#include <filesystem>

#include "testing/secret_scan.h"

namespace ccmcp::tester {

using Json = nlohmann::json;

namespace {

std::string octal(uint32_t mode) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04o", mode & 07777);
  return buffer;
}

bool within(const std::string& path, const std::string& folder) {
  if (folder == "/") return true;
  return path == folder ||
         (path.size() > folder.size() && path.compare(0, folder.size(), folder) == 0 &&
          path[folder.size()] == '/');
}

const Json& config_of(const Json& inspect) {
  static const Json empty = Json::object();
  auto it = inspect.find("Config");
  return it != inspect.end() && it->is_object() ? *it : empty;
}

bool is_root_user(std::string user) {
  if (auto colon = user.find(':'); colon != std::string::npos) user.resize(colon);
  return user.empty() || user == "0" || user == "root";
}

// The engine makes these per container: nothing in the image decides them.
bool made_by_the_runtime(const std::string& path) {
  return within(path, "/proc") || within(path, "/sys") || within(path, "/dev") ||
         path == "/.dockerenv" || path == "/etc/hosts" || path == "/etc/hostname" ||
         path == "/etc/resolv.conf";
}

bool is_sticky_temp(const std::string& path) {
  return path == "/var/tmp" || path == "/run/lock" || path == "/var/lock" || path == "/dev/shm";
}

bool is_manifest(const std::string& name) {
  return name == "package.json" || name == "package-lock.json" || name == "npm-shrinkwrap.json";
}

}  // namespace

std::string application_folder(const Json& image_inspect) {
  std::string dir = config_of(image_inspect).value("WorkingDir", "");
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir.empty() || dir == "/" ? "/app" : dir;
}

ContentChoice scan_content_choice(const std::string& app) {
  ContentChoice choice;
  choice.wanted = [app](const FileEntry& file) {
    std::string name = std::filesystem::path(file.path).filename().string();
    if (is_manifest(name)) return true;
    return within(file.path, app);
  };
  return choice;
}

Findings scan_image_config(const Json& inspect) {
  Findings out;
  const Json& config = config_of(inspect);
  std::string user = config.value("User", "");
  if (is_root_user(user))
    out.push_back({"image.user", Severity::fail,
                   "the image runs as root by default" +
                       std::string(user.empty() ? " (no USER)" : " (USER " + user + ")") +
                       "; cc-mcp runs it as 1001, but anything else that runs it would not",
                   "Config.User", user});

  std::vector<std::string> entrypoint;
  if (config.contains("Entrypoint") && config["Entrypoint"].is_array())
    for (const auto& part : config["Entrypoint"])
      if (part.is_string()) entrypoint.push_back(part.get<std::string>());
  if (entrypoint.empty() || std::filesystem::path(entrypoint.front()).filename() != "cc-mcp-bridge")
    out.push_back({"image.entrypoint", Severity::fail,
                   "the entrypoint is not cc-mcp-bridge: the server would not be served over "
                   "Streamable HTTP with the bridge's limits and checks",
                   "Config.Entrypoint", entrypoint.empty() ? "(none)" : entrypoint.front()});

  if (config.contains("ExposedPorts") && config["ExposedPorts"].is_object())
    for (const auto& [port, unused] : config["ExposedPorts"].items())
      if (port != "3000/tcp")
        out.push_back({"image.ports", Severity::fail,
                       "exposes port " + port + "; only the bridge's 3000/tcp is expected",
                       "Config.ExposedPorts", port});

  if (config.contains("Env") && config["Env"].is_array())
    for (const auto& entry : config["Env"]) {
      if (!entry.is_string()) continue;
      std::string text = entry.get<std::string>();
      auto equals = text.find('=');
      std::string key = text.substr(0, equals);
      std::string value = equals == std::string::npos ? "" : text.substr(equals + 1);
      for (auto& finding : scan_setting(key, value, "ENV " + key))
        out.push_back(std::move(finding));
    }
  if (config.contains("Labels") && config["Labels"].is_object())
    for (const auto& [key, value] : config["Labels"].items())
      if (value.is_string())
        for (auto& finding : scan_setting(key, value.get<std::string>(), "LABEL " + key))
          out.push_back(std::move(finding));
  return out;
}

Findings scan_image_files(const ImageFiles& files, const std::string& app) {
  Findings out;
  for (const auto& file : files.entries) {
    if (made_by_the_runtime(file.path)) continue;
    if (file.type == FileEntry::Type::file && (file.mode & 06000)) {
      std::string what = (file.mode & 04000) && (file.mode & 02000) ? "setuid and setgid"
                         : (file.mode & 04000)                      ? "setuid"
                                                                    : "setgid";
      out.push_back({"image.setuid", Severity::fail,
                     "a " + what + " file (owner uid " + std::to_string(file.uid) +
                         "): a way to more privileges if no-new-privileges were ever off",
                     file.path, octal(file.mode)});
    }
    if (file.type == FileEntry::Type::directory && (file.mode & 0002) &&
        !within(file.path, "/tmp")) {
      bool temp = is_sticky_temp(file.path) && (file.mode & 01000);
      out.push_back({"image.world-writable", temp ? Severity::warn : Severity::fail,
                     temp ? "a world-writable temp folder outside /tmp (sticky)"
                          : "a world-writable folder outside /tmp",
                     file.path, octal(file.mode)});
    }
  }
  for (const auto& [path, content] : files.contents) {
    if (!within(path, app)) continue;
    for (auto& finding : scan_file_for_secrets(path, content)) out.push_back(std::move(finding));
  }
  return out;
}

}  // namespace ccmcp::tester
