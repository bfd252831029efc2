// install: a catalog's package becomes a server of mcp.json only after it
// was built and passed the tester. The steps, in order:
//
//   check      the local name is free in mcp.json; compatibility.h; the
//              entry it will get (entry.h) is valid in that mcp.json and its
//              volumes pass the runtime's rules (a package's default host
//              folder that is missing is created; one the user named must
//              exist)
//   download   \ images::ensure_image, hermetic as every build: fetched on the
//   build      / host, built with no network, tagged cc-mcp/NAME:VERSION only
//   test       the tester (src/testing), always: ready, connection,
//              capabilities and the security scan; the package's own tests too
//              with `package_tests`; skipped only with `verify` off
//   configure  the image becomes cc-mcp/NAME:latest and the entry is added to
//              mcp.json in one locked, comment-keeping change
//   start      with `start`: the container on its port, answering
//
// A failure up to and including configure undoes what the install made (the
// image it built, a source clone and folders it created, the file it
// created) and throws InstallFailed naming the step: mcp.json, images and
// containers are as they were.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/home.h"
#include "config/load.h"
#include "docker/engine.h"
#include "images/ensure.h"
#include "images/reporter.h"
#include "marketplace/entry.h"
#include "marketplace/package.h"
#include "net/http_client.h"
#include "runtime/lifecycle.h"
#include "runtime/state.h"
#include "testing/tester.h"

namespace ccmcp::marketplace {

struct InstallResult;

enum class InstallStep { check, download, build, test, configure, start };
const char* to_string(InstallStep step);

class InstallListener {
 public:
  virtual ~InstallListener() = default;
  virtual void step(InstallStep step, const std::string& subject) = 0;
  virtual void note(const std::string& text) = 0;
  virtual images::BuildReporter& build_reporter() = 0;
  virtual void build_done() = 0;
  virtual tester::TestListener& test_listener() = 0;
  virtual void test_done(const tester::TestReport& report) = 0;
  // In mcp.json now (before the start, which may still fail).
  virtual void installed(const InstallResult& result) = 0;
};

struct InstallRequest {
  std::string version;                   // "" = the catalog's version, else the source's latest
  std::string local_name;                // "" = the package's name
  std::vector<std::string> volumes;      // HOST:CONTAINER[:ro] as typed
  std::vector<std::string> environment;  // KEY=VALUE as typed
  // Values for the secret store (--secret, isSecret variables): the entry
  // gets "KEY": "${secret:KEY}", the store the value under the server's name.
  config::StringPairs secrets;
  bool package_tests = false;  // --test
  bool verify = true;          // off: --no-verify (no tester at all)
  bool start = false;
  config::ConfigLocation location;  // the mcp.json to add it to (created when missing)
  std::filesystem::path cwd;        // relative --volume paths start here
  tester::TesterOptions tester;
  runtime::StartOptions start_options;
};

struct InstallResult {
  std::string name;  // in mcp.json
  std::string package;
  std::string catalog;
  images::ImageInfo image;
  nlohmann::ordered_json entry;
  std::optional<tester::TestReport> test;
  std::vector<std::string> created_folders;  // the package's default volume folders
  bool config_created = false;
  bool layout_kept = true;
  std::optional<runtime::StartReport> started;
};

class InstallFailed : public Error {
 public:
  // "install NAME: the build failed: SUBJECT: PROBLEM (HINT)"
  InstallFailed(InstallStep step, const std::string& name, const Error& cause);
};

// Installs `package`. Usage and compatibility problems found before
// anything was made throw Error as they are; a failure after that throws
// InstallFailed. A failure to start (with `start`) leaves the server
// installed and throws runtime::StartFailed.
InstallResult install_package(docker::Engine& engine, net::HttpClient& http,
                              runtime::StateStore& state, const Package& package,
                              const InstallRequest& request, InstallListener& listener);

}  // namespace ccmcp::marketplace
