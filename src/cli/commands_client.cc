// client: the MCP configuration of a client for every running server,
// printed or merged into the client's file (see cli/client_config.h).
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "cli/client_config.h"
#include "cli/command.h"
#include "config/home.h"
#include "docker/engine.h"
#include "runtime/running.h"
#include "util/file_lock.h"
#include "util/fs.h"
#include "util/strings.h"

namespace ccmcp::cli {

namespace {

struct ClientOptions {
  std::string client;
  bool write = false;
  std::string project;
  std::string file;
};

// What `client --write` wrote before, per file: the names it owns there.
//   $CC_MCP_HOME/state/clients.json: {"files": {PATH: {"client": C, "servers": [N...]}}}
class OwnershipRecord {
 public:
  explicit OwnershipRecord(const config::Home& home)
      : dir_(home.state_dir()),
        file_(dir_ / "clients.json"),
        lock_(dir_ / ".clients.lock", std::chrono::seconds(30), "another cc-mcp") {
    std::error_code ec;
    if (std::filesystem::exists(file_, ec)) {
      record_ = Json::parse(read_text_file(file_, file_.string(), 16u << 20), nullptr, false);
      if (!record_.is_object()) record_ = Json::object();  // damaged: we own nothing, then
    }
    if (!record_.contains("files") || !record_["files"].is_object())
      record_["files"] = Json::object();
  }

  std::vector<std::string> owned(const std::filesystem::path& target) const {
    std::vector<std::string> names;
    auto it = record_["files"].find(target.string());
    if (it != record_["files"].end() && it->is_object() && it->contains("servers"))
      for (const auto& name : (*it)["servers"])
        if (name.is_string()) names.push_back(name.get<std::string>());
    return names;
  }

  void set(const std::filesystem::path& target, ClientKind kind,
           const std::vector<std::string>& names) {
    Json entry = {{"client", client_name(kind)}, {"servers", names}};
    if (record_["files"].value(target.string(), Json()) == entry) return;
    record_["files"][target.string()] = entry;
    write_file_atomically(file_, file_.string(), record_.dump(2) + "\n", FileOwnership{0600});
  }

 private:
  std::filesystem::path dir_, file_;
  FileLock lock_;
  Json record_ = Json::object();
};

std::string display_path(const std::filesystem::path& path) {
  std::error_code ec;
  auto relative = path.lexically_relative(std::filesystem::current_path(ec));
  if (!ec && !relative.empty() && *relative.begin() != "..") return relative.string();
  return path.string();
}

DesktopLaunch desktop_launch(const config::ConfigLocation& location, const config::Home& home) {
  DesktopLaunch launch;
  std::error_code ec;
  launch.program = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  if (ec) launch.program = "cc-mcp";
  if (location.path != home.config_file()) launch.config = location.path.string();
  if (const char* env = std::getenv("CC_MCP_HOME"); env && *env) launch.home = home.root.string();
  return launch;
}

int client(Context& ctx, const ClientOptions& options) {
  std::vector<std::string> names(std::begin(kClientNames), std::end(kClientNames));
  std::string one_of = "use one of " + join(names, ", ");
  if (options.client.empty())
    throw Error(ErrorKind::usage, "cc-mcp client", "needs a client", one_of);
  auto kind = parse_client(options.client);
  if (!kind) {
    std::string hint = one_of;
    if (auto near = nearest_match(options.client, names))
      hint = "did you mean " + quote(*near) + "?";
    throw Error(ErrorKind::usage, quote(options.client), "is not a client cc-mcp knows", hint);
  }
  std::filesystem::path project = std::filesystem::current_path();
  if (!options.project.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(options.project, ec))
      throw Error(ErrorKind::not_found, quote(options.project), "is not a folder",
                  "--project names the project folder of the client's config");
    project = std::filesystem::absolute(options.project).lexically_normal();
  }

  auto loaded = ctx.load_valid_config();
  config::Home home = config::cc_mcp_home();
  docker::Engine engine = docker::Engine::from_environment();
  auto running = runtime::running_servers(engine, loaded.validation.config, home);
  DesktopLaunch launch = desktop_launch(loaded.location, home);
  std::map<std::string, Json> entries;
  for (const auto& server : running)
    if (!server.url.empty())
      entries[server.name] = client_entry(*kind, server.name, server.url, launch);
  Json servers = Json::object();
  for (const auto& [name, entry] : entries) servers[name] = entry;

  std::filesystem::path file = options.file.empty()
                                   ? default_client_file(*kind, project)
                                   : std::filesystem::absolute(options.file).lexically_normal();
  std::string display = display_path(file);
  Json report = {{"client", client_name(*kind)}, {"file", file.string()}, {"servers", servers}};

  if (!options.write) {
    if (ctx.out.json()) {
      report["written"] = false;
      ctx.out.print_json(report);
    } else {
      std::printf("%s\n", Json{{servers_key(*kind), servers}}.dump(2).c_str());
    }
    if (entries.empty())
      ctx.out.note("no server runs now (start one with cc-mcp start NAME)");
    else
      ctx.out.note("for " + display + "; cc-mcp client " + client_name(*kind) +
                   " --write merges it there");
    return 0;
  }

  OwnershipRecord record(home);
  std::error_code ec;
  bool exists = std::filesystem::exists(file, ec);
  // A symlinked config (a dotfiles folder): the file it points to is written.
  std::filesystem::path target = exists ? std::filesystem::canonical(file, ec) : file;
  if (ec) target = file;
  std::optional<std::string> before;
  if (exists) before = read_text_file(target, display, 16u << 20);
  MergeResult merged = merge_client_file(before, display, *kind, entries, record.owned(target));
  std::filesystem::path backup;
  if (merged.changed) {
    FileOwnership ownership{static_cast<mode_t>(*kind == ClientKind::claude_desktop ? 0600 : 0644)};
    if (exists) {
      struct stat st {};
      if (::stat(target.c_str(), &st) == 0) ownership = {st.st_mode & 07777, st.st_uid, st.st_gid};
      backup = target;
      backup += ".bak";
      write_file_atomically(backup, display + ".bak", *before, ownership);
    } else {
      std::filesystem::create_directories(target.parent_path(), ec);
      if (ec)
        throw Error(ErrorKind::io, target.parent_path().string(),
                    "cannot create: " + system_problem(ec.value()));
    }
    write_file_atomically(target, display, merged.text, ownership);
  }
  std::vector<std::string> now;
  for (const auto& [name, entry] : entries) now.push_back(name);
  record.set(target, *kind, now);

  if (ctx.out.json()) {
    report["written"] = merged.changed;
    report["added"] = merged.added;
    report["updated"] = merged.updated;
    report["removed"] = merged.removed;
    report["unchanged"] = merged.unchanged;
    report["backup"] = backup.empty() ? Json() : Json(backup.string());
    ctx.out.print_json(report);
    return 0;
  }
  if (!merged.changed) {
    ctx.out.line(display + " is up to date (" +
                 (now.empty() ? std::string("no server runs") : join(now, ", ")) + ")");
    return 0;
  }
  std::vector<std::string> parts;
  if (!merged.added.empty()) parts.push_back("added " + join(merged.added, ", "));
  if (!merged.updated.empty()) parts.push_back("updated " + join(merged.updated, ", "));
  if (!merged.removed.empty()) parts.push_back("removed " + join(merged.removed, ", "));
  std::string line = "wrote " + display + ": " + join(parts, "; ");
  if (!backup.empty()) line += " (the previous content is in " + display_path(backup) + ")";
  ctx.out.line(line);
  if (!merged.layout_kept)
    ctx.out.warning(display + " was written out anew; its comments, if any, are in " +
                    display_path(backup));
  return 0;
}

}  // namespace

void add_client_commands(CommandTable& table) {
  auto options = std::make_shared<ClientOptions>();
  Command command;
  command.group = "Clients";
  command.path = "client";
  command.usage = "CLIENT [--write]";
  command.summary = "a client's MCP config for the running servers, printed or written";
  command.details =
      "CLIENT is claude-code, cursor, vscode or claude-desktop.\n"
      "claude-code: .mcp.json, cursor: .cursor/mcp.json, vscode: .vscode/mcp.json, each in the\n"
      "project folder (--project, else this one), with the server's URL. claude-desktop:\n"
      "~/.config/Claude/claude_desktop_config.json, with an entry that runs cc-mcp connect NAME,\n"
      "since it speaks only stdio. --write merges into the file: entries cc-mcp did not write\n"
      "and every other key stay as they are, its own entries of servers that no longer run\n"
      "go; the previous content is kept as FILE.bak. Ports stay the same across restarts and\n"
      "updates, so the URLs stay valid.";
  command.define = [options](CLI::App& app) {
    app.add_option("CLIENT", options->client, "claude-code, cursor, vscode or claude-desktop");
    app.add_flag("--write", options->write, "merge it into the client's file");
    app.add_option("--project", options->project, "the project folder (default: this one)")
        ->option_text("DIR");
    app.add_option("--file", options->file, "write this file instead of the client's own")
        ->option_text("FILE");
  };
  command.run = [options](Context& ctx) { return client(ctx, *options); };
  table.push_back(std::move(command));
  add_connect_command(table);
}

}  // namespace ccmcp::cli
