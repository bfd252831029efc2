// secret set|list|rm: the values a server's environment refers to as
// "${secret:KEY}", in the encrypted store (secrets/store.h). Values go in
// from a terminal without echo or from stdin, and never come out here.
#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "config/home.h"
#include "secrets/prompt.h"
#include "secrets/reference.h"
#include "secrets/store.h"

namespace ccmcp::cli {

namespace {

using Json = nlohmann::ordered_json;

struct SecretOptions {
  std::string name;
  std::string key;
};

void check_key(const std::string& key) {
  if (!secrets::is_secret_key(key))
    throw Error(ErrorKind::usage, quote(key), "is not a secret key",
                "use letters, digits and '_', not starting with a digit, e.g. API_TOKEN");
}

int set_secret(Context& ctx, const SecretOptions& options) {
  check_key(options.key);
  auto loaded = ctx.load_valid_config();
  const config::Server& server = ctx.server(loaded.validation.config, options.name);
  std::string value =
      secrets::read_secret("Value of " + options.key + " for " + server.name + " (not shown): ",
                           /*whole_stdin=*/true);
  if (value.empty())
    throw Error(ErrorKind::usage, quote(options.key), "the value is empty",
                "type it at the prompt, or pipe it: printf %s \"$VALUE\" | cc-mcp secret set " +
                    server.name + " " + options.key);
  secrets::SecretStore store(config::cc_mcp_home());
  bool replaced = store.has(server.name, options.key);
  store.set(server.name, options.key, value);
  if (ctx.out.json()) {
    ctx.out.print_json({{"name", server.name}, {"key", options.key}, {"replaced", replaced}});
    return 0;
  }
  ctx.out.line("✓ " + std::string(replaced ? "Replaced" : "Stored") + " secret " + options.key +
               " of " + server.name + " (encrypted)");
  ctx.out.note("refer to it in mcp.json: \"environment\": {\"" + options.key + "\": \"" +
               secrets::reference_to(options.key) +
               "\"}; a running server gets a changed value at its next cc-mcp start");
  return 0;
}

int list_secrets(Context& ctx, const SecretOptions& options) {
  secrets::SecretStore store(config::cc_mcp_home());
  secrets::SecretNames names = store.names();
  if (!options.name.empty()) {
    secrets::SecretNames one;
    if (auto it = names.find(options.name); it != names.end()) one.insert(*it);
    names = std::move(one);
  }
  if (ctx.out.json()) {
    Json rows = Json::array();
    for (const auto& [server, keys] : names)
      for (const auto& key : keys) rows.push_back({{"name", server}, {"key", key}});
    ctx.out.print_json({{"secrets", rows}});
    return 0;
  }
  if (names.empty()) {
    ctx.out.line(options.name.empty() ? "No secrets stored."
                                      : "No secrets stored for " + options.name + ".");
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& [server, keys] : names)
    for (const auto& key : keys) rows.push_back({server, key});
  ctx.out.table({"NAME", "KEY"}, rows);
  return 0;
}

int remove_secret(Context& ctx, const SecretOptions& options) {
  check_key(options.key);
  secrets::SecretStore store(config::cc_mcp_home());
  if (!store.remove(options.name, options.key))
    throw Error(ErrorKind::not_found, quote(options.name), "has no secret " + quote(options.key),
                "cc-mcp secret list " + options.name + " shows the ones it has");
  if (ctx.out.json())
    ctx.out.print_json({{"name", options.name}, {"key", options.key}, {"removed", true}});
  else
    ctx.out.line("✓ Removed secret " + options.key + " of " + options.name);
  return 0;
}

}  // namespace

void add_secret_commands(CommandTable& table) {
  const std::string details =
      "Secrets are kept encrypted in $CC_MCP_HOME/secrets (libsodium; the key in\n"
      "secrets/key, mode 0600) and referred to in mcp.json as \"${secret:KEY}\" in a\n"
      "server's \"environment\". The container gets them from a file on a tmpfs, not\n"
      "through its Env; logs show *** in their place.";
  auto set_options = std::make_shared<SecretOptions>();
  Command set;
  set.group = "Secrets";
  set.path = "secret set";
  set.usage = "NAME KEY";
  set.summary = "store a secret (typed without echo, or from stdin)";
  set.details = details;
  set.define = [set_options](CLI::App& app) {
    app.add_option("NAME", set_options->name, "server name in mcp.json")->required();
    app.add_option("KEY", set_options->key, "the secret's key")->required();
  };
  set.run = [set_options](Context& ctx) { return set_secret(ctx, *set_options); };
  table.push_back(std::move(set));

  auto list_options = std::make_shared<SecretOptions>();
  Command list;
  list.group = "Secrets";
  list.path = "secret list";
  list.usage = "[NAME]";
  list.summary = "the stored secrets' names (never their values)";
  list.details = details;
  list.define = [list_options](CLI::App& app) {
    app.add_option("NAME", list_options->name, "only this server's");
  };
  list.run = [list_options](Context& ctx) { return list_secrets(ctx, *list_options); };
  table.push_back(std::move(list));

  auto rm_options = std::make_shared<SecretOptions>();
  Command rm;
  rm.group = "Secrets";
  rm.path = "secret rm";
  rm.usage = "NAME KEY";
  rm.summary = "remove a stored secret";
  rm.details = details;
  rm.define = [rm_options](CLI::App& app) {
    app.add_option("NAME", rm_options->name, "server name")->required();
    app.add_option("KEY", rm_options->key, "the secret's key")->required();
  };
  rm.run = [rm_options](Context& ctx) { return remove_secret(ctx, *rm_options); };
  table.push_back(std::move(rm));
}

}  // namespace ccmcp::cli
