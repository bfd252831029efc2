#include "sources/npm.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <regex>

#include "util/error.h"
#include "util/process.h"
#include "util/semver.h"
#include "util/strings.h"

namespace ccmcp::sources {

namespace {

// The flags every npm run of ours gets: quiet, no network beyond the
// registry, and never a script.
const std::vector<std::string> kQuiet = {"--no-audit", "--no-fund", "--no-update-notifier",
                                         "--loglevel=error"};

void need_npm() {
  if (!program_exists("npm"))
    throw Error(ErrorKind::build, "npm", "is not installed on this host",
                "cc-mcp fetches npm packages with the host's npm: apt-get install npm");
}

std::string tail_of(const ProcessResult& result) {
  auto lines = last_lines(result.err + "\n" + result.out, 6);
  std::string text;
  for (const auto& line : lines) text += "\n    " + line;
  return text;
}

bool says(const ProcessResult& result, const char* word) {
  return result.err.find(word) != std::string::npos || result.out.find(word) != std::string::npos;
}

// npm's failure in our words: what went wrong, for `subject`.
[[noreturn]] void npm_failed(const std::string& subject, const std::string& doing,
                             const ProcessResult& result) {
  if (result.timed_out)
    throw Error(ErrorKind::build, subject, doing + ": npm did not finish in time",
                "is the npm registry slow? try again");
  if (says(result, "E404") || says(result, "404 Not Found"))
    throw Error(ErrorKind::build, subject, "no such npm package",
                "check the name in mcp.json; npm view " + subject + " shows what exists");
  if (says(result, "ETARGET") || says(result, "No matching version"))
    throw Error(ErrorKind::build, subject, doing + ": npm has no such version",
                "npm view " + subject + " versions lists them");
  if (says(result, "ENOSPC"))
    throw Error(ErrorKind::io, subject, doing + ": the disk is full", "free some space");
  if (says(result, "SELF_SIGNED_CERT") || says(result, "UNABLE_TO_GET_ISSUER_CERT") ||
      says(result, "CERT_HAS_EXPIRED") || says(result, "UNABLE_TO_VERIFY_LEAF_SIGNATURE"))
    throw Error(ErrorKind::build, subject,
                doing + ": the npm registry's certificate is not trusted",
                "a proxy with its own CA? give it to npm: NODE_EXTRA_CA_CERTS or npm config set "
                "cafile");
  if (says(result, "ENOTFOUND") || says(result, "EAI_AGAIN") || says(result, "ECONNREFUSED") ||
      says(result, "ETIMEDOUT") || says(result, "ECONNRESET"))
    throw Error(ErrorKind::build, subject, doing + ": cannot reach the npm registry",
                "check the network or npm's registry setting (npm config get registry)");
  throw Error(
      ErrorKind::build, subject,
      doing + ": npm failed (exit " + std::to_string(result.exit_code) + "):" + tail_of(result),
      "its whole log is in ~/.npm/_logs");
}

}  // namespace

bool is_exact_npm_version(const std::string& spec) {
  static const std::regex exact(R"(v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?)");
  return std::regex_match(spec, exact);
}

std::string npm_resolve_version(const std::string& package, const std::string& spec,
                                std::chrono::milliseconds timeout) {
  need_npm();
  std::string wanted = package + "@" + (spec.empty() ? "latest" : spec);
  std::vector<std::string> argv = {"npm", "view", wanted, "version", "--json"};
  argv.insert(argv.end(), kQuiet.begin(), kQuiet.end());
  ProcessResult result = run_process(argv, process_options(timeout));
  if (!result.ok()) npm_failed(package, "resolving " + quote(wanted), result);
  auto answer = nlohmann::json::parse(result.out, nullptr, false);
  std::string version;
  if (answer.is_string()) version = answer.get<std::string>();
  // A range matching several versions lists them all, in the registry's
  // order (not always oldest first): the newest by SemVer, as npm install
  // would pick.
  if (answer.is_array()) {
    std::optional<SemVer> newest;
    for (const auto& item : answer) {
      if (!item.is_string()) continue;
      auto parsed = parse_semver(item.get<std::string>());
      if (parsed && (!newest || compare(*parsed, *newest) > 0)) {
        newest = parsed;
        version = item.get<std::string>();
      }
    }
  }
  if (version.empty())
    throw Error(ErrorKind::build, package, "no version of it matches " + quote(spec),
                "npm view " + package + " versions lists them");
  return version;
}

void npm_install_package(const std::string& package, const std::string& version,
                         const std::filesystem::path& prefix) {
  need_npm();
  std::vector<std::string> argv = {
      "npm",      "install",       "--omit=dev",           "--ignore-scripts",
      "--prefix", prefix.string(), package + "@" + version};
  argv.insert(argv.end(), kQuiet.begin(), kQuiet.end());
  ProcessResult result = run_process(argv, process_options(std::chrono::minutes(15)));
  if (!result.ok()) npm_failed(package, "fetching " + package + "@" + version, result);
}

void npm_install_project(const std::filesystem::path& dir, bool with_dev) {
  need_npm();
  std::error_code ec;
  // The project's own npm settings stay out of the host's npm: they could
  // name another registry or a script shell. (The flags below win anyway.)
  std::filesystem::remove(dir / ".npmrc", ec);
  bool locked = std::filesystem::exists(dir / "package-lock.json", ec) ||
                std::filesystem::exists(dir / "npm-shrinkwrap.json", ec);
  std::vector<std::string> argv = {"npm", locked ? "ci" : "install", "--ignore-scripts"};
  if (!with_dev) argv.push_back("--omit=dev");
  argv.insert(argv.end(), kQuiet.begin(), kQuiet.end());
  ProcessResult result = run_process(argv, process_options(std::chrono::minutes(15), dir));
  if (!result.ok()) npm_failed(dir.filename().string(), "installing its dependencies", result);
}

}  // namespace ccmcp::sources
