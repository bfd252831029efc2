// search, info, catalog add|remove|list: the marketplace's catalogs
// (src/marketplace), read-only but for the list of catalogs.
#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "config/home.h"
#include "marketplace/catalog.h"
#include "marketplace/entry.h"
#include "marketplace/registry.h"
#include "marketplace/search.h"
#include "runtime/state.h"
#include "util/strings.h"

namespace ccmcp::cli {

namespace {

using Json = nlohmann::ordered_json;

struct SearchOptions {
  std::string query;
  std::string catalog;
};

struct InfoOptions {
  std::string name;
  std::string catalog;
};

struct CatalogOptions {
  std::string name;
  std::string folder;
  std::string registry;
  std::string git;
};

marketplace::Catalogs load(Context& ctx, const std::string& only,
                           const marketplace::LoadOptions& options = {}) {
  marketplace::Catalogs catalogs = marketplace::load_catalogs(config::cc_mcp_home(), only, options);
  if (!ctx.out.json())
    for (const auto& diagnostic : catalogs.diagnostics) ctx.out.warning(diagnostic.format());
  return catalogs;
}

Json diagnostics_json(const marketplace::Catalogs& catalogs) {
  Json out = Json::array();
  for (const auto& diagnostic : catalogs.diagnostics) out.push_back(diagnostic.format());
  return out;
}

// "pass (2026-12-07T10:00:00Z)" when a server of that name was tested here.
std::string tested_here(const Json& state, const std::string& name) {
  if (!state.contains("servers") || !state["servers"].contains(name)) return {};
  const Json& entry = state["servers"][name];
  if (!entry.is_object() || !entry.contains("tests") || !entry["tests"].contains("last")) return {};
  const Json& last = entry["tests"]["last"];
  return last.value("result", "") + " (" + last.value("at", "") + ")";
}

std::string rating_text(const marketplace::Package& package) {
  if (!package.rating) return {};
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, " (★ %.1f", *package.rating);
  std::string text = buffer;
  if (package.rating_count) text += ", " + std::to_string(*package.rating_count) + " ratings";
  return text + ")";
}

// "cached 12 min ago" of a registry catalog; "" for the others.
std::string cache_age(const marketplace::CatalogSource& source) {
  if (source.fetched_at == 0) return {};
  std::string age = marketplace::age_since(source.fetched_at);
  if (source.kind == "git") return "fetched " + age;
  if (source.kind != "registry") return {};
  return "cached " + age;
}

size_t package_count(const marketplace::Catalogs& catalogs, const std::string& catalog) {
  return std::count_if(catalogs.packages.begin(), catalogs.packages.end(),
                       [&](const marketplace::Package& p) { return p.catalog == catalog; });
}

Json sources_json(const marketplace::Catalogs& catalogs) {
  Json out = Json::array();
  for (const auto& source : catalogs.sources) {
    Json row = {{"name", source.name},
                {"kind", source.kind},
                {"path", source.path.string()},
                {"url", source.url},
                {"packages", package_count(catalogs, source.name)}};
    row["fetchedAt"] = source.fetched_at ? Json(source.fetched_at) : Json(nullptr);
    out.push_back(std::move(row));
  }
  return out;
}

int run_search(Context& ctx, const SearchOptions& options) {
  marketplace::Catalogs catalogs = load(ctx, options.catalog);
  auto hits = marketplace::search_packages(catalogs.packages, options.query);
  Json state = runtime::StateStore(config::cc_mcp_home()).load();
  if (ctx.out.json()) {
    Json rows = Json::array();
    for (const auto& hit : hits) {
      Json row = marketplace::to_json(*hit.package);
      row["score"] = hit.score;
      std::string tested = tested_here(state, hit.package->name);
      row["testedHere"] = tested.empty() ? Json(nullptr) : Json(tested);
      rows.push_back(std::move(row));
    }
    ctx.out.print_json({{"query", options.query},
                        {"results", rows},
                        {"packages", catalogs.packages.size()},
                        {"catalogs", sources_json(catalogs)},
                        {"diagnostics", diagnostics_json(catalogs)}});
    return 0;
  }
  std::vector<std::string> ages;
  for (const auto& source : catalogs.sources)
    if (auto age = cache_age(source); !age.empty()) ages.push_back(source.name + " " + age);
  if (hits.empty()) {
    ctx.out.line("No package matches " + quote(options.query) + " (" +
                 std::to_string(catalogs.packages.size()) + " packages in " +
                 std::to_string(catalogs.sources.size()) + " catalogs).");
    return 0;
  }
  for (const auto& hit : hits) {
    const auto& package = *hit.package;
    std::string tested = tested_here(state, package.name);
    ctx.out.line(ctx.out.paint(package.name, Color::bold) + " - " + package.description +
                 rating_text(package) +
                 ctx.out.paint("  [" + package.catalog +
                                   (tested.empty() ? "" : ", tested here: " + tested) + "]",
                               Color::dim));
  }
  if (!ages.empty() && !ctx.out.quiet())
    ctx.out.line(ctx.out.paint("(" + join(ages, "; ") + "; cc-mcp catalog refresh reads them anew)",
                               Color::dim));
  return 0;
}

// The flags the package's install needs: its required variables.
std::string install_flags(const marketplace::Package& package) {
  std::string flags;
  for (const auto& variable : package.variables)
    if (variable.required && variable.default_value.empty())
      flags += " --env " + variable.name + "=...";
  for (const auto& [host, container] : package.volumes)
    flags += " [--volume DIR:" + container + "]";
  return flags;
}

int run_info(Context& ctx, const InfoOptions& options) {
  auto [name, version] = marketplace::split_name_version(options.name);
  marketplace::Catalogs catalogs = load(ctx, options.catalog);
  marketplace::Package current =
      marketplace::current_package(catalogs, catalogs.require(name, options.catalog), version);
  const marketplace::Package* package = &current;
  if (!package->registry_name.empty()) version.clear();  // the server's; its package's is pinned
  if (!version.empty() && !package->versions.empty() &&
      std::find(package->versions.begin(), package->versions.end(), version) ==
          package->versions.end()) {
    throw Error(ErrorKind::not_found, quote(name + "@" + version), "is not a version it has",
                "versions: " + join(package->versions, ", "));
  }
  Json entry = marketplace::server_entry(
      *package,
      marketplace::default_choices(*package, version.empty() ? package->version : version));
  if (ctx.out.json()) {
    Json out = marketplace::to_json(*package);
    out["mcpServersEntry"] = entry;
    out["diagnostics"] = diagnostics_json(catalogs);
    ctx.out.print_json(out);
    return 0;
  }
  const auto& p = *package;
  ctx.out.line(ctx.out.paint(p.name, Color::bold) + (p.title.empty() ? "" : " (" + p.title + ")") +
               " - " + p.description + rating_text(p));
  auto row = [&](const std::string& key, const std::string& value) {
    if (!value.empty())
      ctx.out.line("  " + key + std::string(14 - std::min<size_t>(key.size(), 13), ' ') + value);
  };
  row("catalog", p.catalog + (p.file.empty() ? "" : " (" + p.file + ")"));
  row("registry name", p.registry_name);
  row("server version", p.server_version);
  row("author", p.author);
  row("source",
      p.source.type + " " + p.source.url + (p.source.path.empty() ? "" : " " + p.source.path));
  std::string versions = join(p.versions, ", ");
  row("versions",
      versions.empty() ? (p.version.empty() ? "the latest its source has" : p.version) : versions);
  if (!p.min_version.empty()) row("needs cc-mcp", p.min_version + " or newer");
  for (const auto& variable : p.variables)
    row("environment", variable.name + (variable.required ? " (required" : " (optional") +
                           (variable.secret ? ", secret)" : ")") +
                           (variable.description.empty() ? "" : ": " + variable.description));
  for (const auto& [host, container] : p.volumes) row("volume", host + " -> " + container);
  row("arguments", join(p.args, " "));
  for (int port : p.ports) row("port", std::to_string(port));
  // Where the server will be able to connect once installed.
  row("network", p.network.is_null()     ? std::string("none (no connections out)")
                 : p.network.is_string() ? p.network.get<std::string>()
                 : p.network.contains("allow") && p.network["allow"].is_array()
                     ? "allow " + join(p.network["allow"].get<std::vector<std::string>>(), ", ")
                     : p.network.dump());
  for (const auto& permission : p.permissions) row("permission", permission);
  if (!p.sandbox.empty()) row("sandbox", p.sandbox);
  for (const auto& remote : p.remotes) row("remote", remote + " (hosted; not installable)");
  row("platforms", join(p.platforms, ", "));
  if (p.tests.is_object() && p.tests.contains("calls") && p.tests["calls"].is_array())
    row("tests", std::to_string(p.tests["calls"].size()) + " tool call" +
                     (p.tests["calls"].size() == 1 ? "" : "s") +
                     " beside the tester's connection, capability and security checks");
  std::string tested = tested_here(runtime::StateStore(config::cc_mcp_home()).load(), p.name);
  row("tested here", tested);
  ctx.out.line("");
  ctx.out.line("Its mcp.json entry (under \"mcpServers\"):");
  ctx.out.line("  " + quote(p.name) + ": " + entry.dump());
  ctx.out.line("");
  ctx.out.line("Install it: cc-mcp install " + p.name + (version.empty() ? "" : "@" + version) +
               install_flags(p));
  return 0;
}

int run_catalog(Context& ctx, const std::string& action, const CatalogOptions& options) {
  config::Home home = config::cc_mcp_home();
  if (action == "add") {
    int given = !options.folder.empty() + !options.registry.empty() + !options.git.empty();
    if (given != 1)
      throw Error(ErrorKind::usage, "cc-mcp catalog add " + options.name,
                  given == 0 ? "needs a folder, --registry URL or --git URL"
                             : "takes one of a folder, --registry URL and --git URL",
                  "e.g. cc-mcp catalog add team ./catalog, or cc-mcp catalog add official "
                  "--registry https://registry.modelcontextprotocol.io");
    if (!options.registry.empty())
      marketplace::add_registry_catalog(home, options.name, options.registry);
    else if (!options.git.empty())
      marketplace::add_git_catalog(home, options.name, options.git);
    else
      marketplace::add_folder_catalog(home, options.name, options.folder);
    marketplace::Catalogs catalogs = load(ctx, options.name);
    if (ctx.out.json())
      ctx.out.print_json({{"name", options.name},
                          {"packages", catalogs.packages.size()},
                          {"diagnostics", diagnostics_json(catalogs)}});
    else
      ctx.out.line("✓ Added catalog " + options.name + " (" +
                   std::to_string(catalogs.packages.size()) + " packages)");
    return 0;
  }
  if (action == "remove") {
    if (options.name == marketplace::kEmbeddedCatalog)
      throw Error(ErrorKind::usage, "catalog " + quote(options.name),
                  "is compiled into cc-mcp and cannot be removed", "");
    if (!marketplace::remove_catalog(home, options.name))
      throw Error(ErrorKind::not_found, "catalog " + quote(options.name), "is not one of yours",
                  "cc-mcp catalog list shows them");
    if (ctx.out.json())
      ctx.out.print_json({{"name", options.name}, {"removed", true}});
    else
      ctx.out.line("✓ Removed catalog " + options.name + " (its folder is untouched)");
    return 0;
  }
  marketplace::LoadOptions load_options;
  load_options.refresh = action == "refresh";
  marketplace::Catalogs catalogs = load(ctx, options.name, load_options);
  if (load_options.refresh) {
    bool any_error = false;
    for (const auto& diagnostic : catalogs.diagnostics)
      any_error |= diagnostic.severity == config::Severity::error;
    for (const auto& source : catalogs.sources) any_error |= source.stale;
    if (ctx.out.json()) {
      ctx.out.print_json(
          {{"catalogs", sources_json(catalogs)}, {"diagnostics", diagnostics_json(catalogs)}});
    } else {
      for (const auto& row : sources_json(catalogs))
        if (row["kind"] != "embedded")
          ctx.out.line("✓ " + row["name"].get<std::string>() + ": " +
                       std::to_string(row["packages"].get<size_t>()) + " packages");
    }
    return any_error ? 1 : 0;
  }
  std::vector<std::vector<std::string>> table;
  for (const auto& source : catalogs.sources) {
    std::string where = !source.url.empty()    ? source.url
                        : !source.path.empty() ? source.path.string()
                                               : "(compiled in)";
    std::string age = cache_age(source);
    table.push_back({source.name, source.kind, where,
                     std::to_string(package_count(catalogs, source.name)),
                     age.empty() ? "-" : age});
  }
  if (ctx.out.json())
    ctx.out.print_json(
        {{"catalogs", sources_json(catalogs)}, {"diagnostics", diagnostics_json(catalogs)}});
  else
    ctx.out.table({"NAME", "KIND", "WHERE", "PACKAGES", "CACHE"}, table);
  return 0;
}

}  // namespace

void add_marketplace_commands(CommandTable& table) {
  {
    auto options = std::make_shared<SearchOptions>();
    Command command;
    command.group = "Marketplace";
    command.path = "search";
    command.usage = "QUERY";
    command.summary = "find MCP servers in the catalogs (name, title, description, keywords)";
    command.details =
        "Every word of QUERY must appear in a package's name, title, description or\n"
        "keywords; an exact name comes first. Each line says which catalog it comes from\n"
        "and, when a server of that name was tested here, the last result. The catalogs:\n"
        "the embedded default one and the folders added with cc-mcp catalog add.";
    command.define = [options](CLI::App& app) {
      app.add_option("QUERY", options->query, "words to look for")->required();
      app.add_option("--catalog", options->catalog, "search only this catalog")
          ->option_text("NAME");
    };
    command.run = [options](Context& ctx) { return run_search(ctx, *options); };
    table.push_back(std::move(command));
  }
  {
    auto options = std::make_shared<InfoOptions>();
    Command command;
    command.group = "Marketplace";
    command.path = "info";
    command.usage = "NAME[@VERSION]";
    command.summary = "a package: source, versions, what it needs, permissions, its mcp.json entry";
    command.define = [options](CLI::App& app) {
      app.add_option("NAME", options->name, "package name, optionally @VERSION")->required();
      app.add_option("--catalog", options->catalog, "from this catalog")->option_text("NAME");
    };
    command.run = [options](Context& ctx) { return run_info(ctx, *options); };
    table.push_back(std::move(command));
  }
  add_install_commands(table);
  struct Action {
    const char* word;
    const char* usage;
    const char* summary;
  };
  for (Action action :
       {Action{"add", "NAME DIR", "add a folder of package files (or --registry URL) as a catalog"},
        Action{"remove", "NAME", "forget a catalog (its folder stays)"},
        Action{"list", "", "the catalogs, their packages, the age of a registry's cache"},
        Action{"refresh", "[NAME]",
               "read registries (cached for an hour) and git catalogs anew"}}) {
    auto options = std::make_shared<CatalogOptions>();
    Command command;
    command.group = "Marketplace";
    command.path = std::string("catalog ") + action.word;
    command.usage = action.usage;
    command.summary = action.summary;
    std::string word = action.word;
    command.define = [options, word](CLI::App& app) {
      if (word == "list") return;
      if (word == "refresh") {
        app.add_option("NAME", options->name, "only this catalog");
        return;
      }
      app.add_option("NAME", options->name, "the catalog's name")->required();
      if (word == "add") {
        app.add_option("DIR", options->folder, "the folder of package files (*.json)");
        app.add_option("--registry", options->registry,
                       "an MCP registry's base URL (API v0.1), e.g. "
                       "https://registry.modelcontextprotocol.io")
            ->option_text("URL");
        app.add_option("--git", options->git,
                       "a git repository of package files (*.json at its root), cloned")
            ->option_text("URL");
      }
    };
    command.run = [options, word](Context& ctx) { return run_catalog(ctx, word, *options); };
    table.push_back(std::move(command));
  }
}

}  // namespace ccmcp::cli
