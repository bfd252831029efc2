#include "testing/tester.h"

#include <future>

#include "docker/containers.h"
#include "docker/exec.h"
#include "net/socket_bound_client.h"
#include "runtime/lifecycle.h"
#include "testing/image_scan.h"
#include "testing/mcp_checks.h"
#include "testing/security_checks.h"
#include "testing/test_container.h"
#include "testing/toolset.h"
#include "util/elapsed.h"

namespace ccmcp::tester {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kPackageTestFile = "cc-mcp.tests.json";

std::vector<std::string> strings_of(const Json& value) {
  std::vector<std::string> out;
  if (value.is_array())
    for (const auto& part : value)
      if (part.is_string()) out.push_back(part.get<std::string>());
  return out;
}

// Why the container will not serve, or nullopt while it may.
std::optional<std::string> container_trouble(docker::Engine& engine, const std::string& id) {
  auto inspect = docker::inspect_container(engine, id);
  if (!inspect) return "its test container was removed";
  std::string status = runtime::state_of(*inspect);
  if (status == "running" || status == "created") return std::nullopt;
  int code = (*inspect)["State"].value("ExitCode", 0);
  std::string problem =
      "the container " + status + (status == "exited" ? " with code " + std::to_string(code) : "");
  if ((*inspect)["State"].value("OOMKilled", false)) problem += " (out of memory)";
  return problem;
}

// The package's test file inside the image: the application folder's,
// else the npm package's own.
std::optional<PackageTests> tests_in_image(const ImageFiles& files, const std::string& app,
                                           const config::Server& server) {
  std::vector<std::string> places = {app + "/" + kPackageTestFile};
  if (server.source && server.source->type == config::SourceType::npm &&
      !server.source->package.empty())
    places.push_back(app + "/node_modules/" + server.source->package + "/" + kPackageTestFile);
  for (const auto& place : places)
    for (const auto& [path, content] : files.contents)
      if (path == place) return parse_package_tests(content, "the image's " + path);
  return std::nullopt;
}

CheckResult run_connection_command(docker::Engine& engine, const std::string& container,
                                   const PackageTests& tests) {
  auto began = Clock::now();
  CheckResult check = CheckResult::make("package-connection", "Package connection test");
  docker::ExecRequest request;
  request.argv = tests.connection;
  request.env = {"MCP_URL=http://127.0.0.1:3000/mcp",
                 std::string("MCP_SOCKET=") + kSocketDirInContainer + "/" + kSocketName};
  request.user = runtime::kContainerUser;
  request.timeout = tests.timeout;
  std::string command;
  for (const auto& word : tests.connection) command += (command.empty() ? "" : " ") + word;
  try {
    docker::ExecResult result = docker::exec_in_container(engine, container, request);
    std::string output = result.output.size() > 400
                             ? "…" + result.output.substr(result.output.size() - 400)
                             : result.output;
    if (result.timed_out) {
      check.status = Status::fail;
      check.detail =
          quote(command) + " did not end within " + mcp::describe_duration(tests.timeout);
    } else if (result.exit_code != 0) {
      check.status = Status::fail;
      check.detail = quote(command) + " exited with " +
                     (result.exit_code ? std::to_string(*result.exit_code) : std::string("?"));
    } else {
      check.detail = quote(command) + " passed";
    }
    if (check.status == Status::fail && !output.empty())
      check.findings.push_back(
          {"package.connection", Severity::fail, "its output", tests.source, output});
  } catch (const Error& error) {
    check.status = Status::fail;
    check.detail = quote(command) + " could not run: " + error.message();
  }
  check.took = elapsed_since(began);
  return check;
}

}  // namespace

bool TestReport::passed() const {
  for (const auto& check : checks)
    if (check.status == Status::fail) return false;
  return !checks.empty();
}

std::string TestReport::failed_summary() const {
  std::string text;
  for (const auto& check : checks) {
    if (check.status != Status::fail) continue;
    if (!text.empty()) text += "; ";
    text += check.title + (check.detail.empty() ? "" : ": " + check.detail);
  }
  return text.empty() ? "a check failed" : text;
}

nlohmann::ordered_json TestReport::to_json() const {
  nlohmann::ordered_json out;
  out["name"] = subject;
  out["image"] = image;
  out["imageId"] = image_id;
  out["version"] = version;
  out["result"] = passed() ? "pass" : "fail";
  out["container"] = container;
  out["network"] = network;
  out["volumes"] = volume_notes;
  out["serverInfo"] = nlohmann::ordered_json::parse(server_info.dump());
  out["toolsetDigest"] = toolset.is_object() ? toolset.value("digest", "") : "";
  out["seconds"] = static_cast<double>(took.count()) / 1000.0;
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& check : checks) {
    nlohmann::ordered_json item = {{"check", check.id},
                                   {"title", check.title},
                                   {"status", tester::to_string(check.status)},
                                   {"detail", check.detail},
                                   {"seconds", static_cast<double>(check.took.count()) / 1000.0}};
    nlohmann::ordered_json findings = nlohmann::ordered_json::array();
    for (const auto& finding : check.findings) findings.push_back(tester::to_json(finding));
    item["findings"] = findings;
    if (!check.log_tail.empty()) item["log"] = check.log_tail;
    list.push_back(std::move(item));
  }
  out["checks"] = list;
  return out;
}

TestReport run_tests(docker::Engine& engine, const TestTarget& target, const TesterOptions& options,
                     TestListener& listener) {
  auto began = Clock::now();
  TestReport report;
  report.subject = target.server.name;
  report.image = target.image.reference;
  report.image_id = target.image.id;
  report.version = target.image.version;
  listener.started(target);
  auto add = [&](CheckResult check) {
    listener.check_done(check);
    report.checks.push_back(std::move(check));
  };

  auto inspect = docker::inspect_image(
      engine, target.image.id.empty() ? target.image.reference : target.image.id);
  if (!inspect)
    throw Error(ErrorKind::not_found, "image " + quote(target.image.reference), "is not here",
                "build it first (cc-mcp build NAME), or name an image that docker images lists");
  const Json config = inspect->value("Config", Json::object());
  std::string app = application_folder(*inspect);

  TestContainerRequest request;
  request.server = target.server;
  request.image = target.image;
  request.image_entrypoint = strings_of(config.value("Entrypoint", Json::array()));
  request.args = target.args;
  request.network = target.network;
  std::unique_ptr<TestContainer> container;
  try {
    container = TestContainer::start(engine, request);
  } catch (const docker::EngineError& error) {
    add(CheckResult::make("ready", "Ready check", Status::fail,
                          "its test container could not start: " + error.message()));
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::engine) throw;  // no engine: nothing to report on
    add(CheckResult::make("ready", "Ready check", Status::fail, error.message()));
  }
  if (!container) {
    add(check_image(*inspect, nullptr, "no test container"));
    report.took = elapsed_since(began);
    return report;
  }
  report.container = container->name();
  report.network = container->network();
  report.volume_notes = container->volume_notes();

  // The image's files are read while the server starts and answers: the
  // export is the slowest step, and it needs nothing from the server.
  std::string id = container->id();
  auto files_future = std::async(std::launch::async, [&engine, id, app] {
    return export_container_files(engine, id, scan_content_choice(app));
  });
  std::optional<ImageFiles> files;
  std::string files_problem;
  auto take_files = [&] {
    if (files || !files_problem.empty()) return;
    try {
      files = files_future.get();
    } catch (const Error& error) {
      files_problem = error.message();
    }
  };

  auto http = net::make_curl_client();
  auto bound = std::make_shared<net::SocketBoundClient>(http, container->socket_path());
  mcp::HttpSession session("http://localhost/mcp", bound);
  ServedSet served;
  auto trouble = [&] { return container_trouble(engine, id); };
  auto tail = [&] { return runtime::log_tail(engine, id, 20); };
  CheckResult ready =
      check_ready(*http, container->socket_path(), session, options.timeout, trouble, tail);
  bool up = ready.status != Status::fail;
  add(std::move(ready));
  if (up) {
    add(check_connection(session, options.request_timeout));
    report.server_info = {{"name", session.server().name},
                          {"version", session.server().version},
                          {"protocolVersion", session.server().protocol_version}};
    add(check_capabilities(session, options.request_timeout, served));
    if (options.run_package_tests) {
      std::optional<PackageTests> tests = target.package_tests;
      if (!tests) {
        take_files();
        try {
          if (files) tests = tests_in_image(*files, app, target.server);
        } catch (const Error& error) {
          add(CheckResult::make("queries", "Query test", Status::fail, error.message()));
        }
      }
      if (tests && !tests->connection.empty()) add(run_connection_command(engine, id, *tests));
      if (tests && !tests->calls.empty()) add(check_package_calls(session, *tests));
    }
    report.toolset = toolset_record(served.tools);
  }
  take_files();
  add(check_image(*inspect, files ? &*files : nullptr, files_problem));
  add(check_dependencies(files ? &*files : nullptr, files_problem, options.osv_db,
                         options.dependencies));
  if (up) add(check_tools(served, target.other_servers, options.tools));
  session.close();
  container->remove();
  report.took = elapsed_since(began);
  return report;
}

}  // namespace ccmcp::tester
