#include "testing/mcp_checks.h"

#include "runtime/health.h"
#include "testing/tool_schema.h"
#include "util/elapsed.h"

namespace ccmcp::tester {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

CheckResult make(const char* id, const char* title) {
  return CheckResult::make(id, title);
}

void fail(CheckResult& check, std::string detail) {
  check.status = Status::fail;
  check.detail = std::move(detail);
}

bool known_protocol(const std::string& version) {
  for (const char* known : {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"})
    if (version == known) return true;
  return false;
}

std::string plural(size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

CheckResult check_ready(net::HttpClient& http, const std::string& socket, mcp::Session& session,
                        std::chrono::milliseconds timeout, const ContainerTrouble& trouble,
                        const std::function<std::vector<std::string>()>& log_tail) {
  auto began = Clock::now();
  CheckResult check = make("ready", "Ready check");
  auto address = runtime::BridgeAddress::unix_socket_at(socket);
  if (auto problem =
          runtime::wait_for_bridge(http, address, timeout, [&](std::optional<int> healthz) {
            if (healthz == 503)
              return std::optional<std::string>(
                  "its bridge says the server's command "
                  "cannot start (/healthz: 503)");
            return trouble();
          })) {
    fail(check, *problem);
    check.log_tail = log_tail();
  } else {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(timeout - elapsed_since(began));
    try {
      session.initialize(std::max(left, std::chrono::milliseconds(1000)));
      check.detail = "answered initialize";
    } catch (const Error& error) {
      auto died = trouble();
      fail(check, died ? *died + " (" + error.problem() + ")"
                       : "no answer to initialize: " + error.problem());
      check.log_tail = log_tail();
    }
  }
  check.took = elapsed_since(began);
  if (check.status == Status::pass) check.detail += " in " + mcp::describe_duration(check.took);
  return check;
}

CheckResult check_connection(mcp::Session& session, std::chrono::milliseconds timeout) {
  auto began = Clock::now();
  CheckResult check = make("connection", "Connection test");
  const mcp::ServerInfo& info = session.server();
  if (!known_protocol(info.protocol_version))
    check.findings.push_back({"connection.protocol", Severity::fail,
                              "initialize answered an unknown protocol version",
                              "initialize result: protocolVersion", info.protocol_version});
  if (info.name.empty())
    check.findings.push_back({"connection.server-info", Severity::fail,
                              "initialize gave no serverInfo.name", "initialize result: serverInfo",
                              ""});
  else if (info.version.empty())
    check.findings.push_back({"connection.server-info", Severity::warn,
                              "initialize gave no serverInfo.version",
                              "initialize result: serverInfo", info.name});
  if (!info.capabilities.is_object())
    check.findings.push_back({"connection.capabilities", Severity::fail,
                              "initialize gave no capabilities object",
                              "initialize result: capabilities", info.capabilities.dump()});
  try {
    session.ping(timeout);
  } catch (const Error& error) {
    check.findings.push_back(
        {"connection.ping", Severity::fail, "ping failed: " + error.problem(), "ping", ""});
  }
  check.status = status_of(check.findings);
  std::vector<std::string> declared;
  if (info.capabilities.is_object())
    for (const auto& [key, value] : info.capabilities.items()) declared.push_back(key);
  std::string list;
  for (const auto& name : declared) list += (list.empty() ? "" : ", ") + name;
  check.detail = (info.name.empty() ? "(no name)" : info.name) +
                 (info.version.empty() ? "" : " " + info.version) + ", protocol " +
                 info.protocol_version + ", capabilities: " + (list.empty() ? "none" : list);
  for (const auto& finding : check.findings)
    if (finding.severity == Severity::fail) {
      check.detail = finding.message;
      break;
    }
  check.took = elapsed_since(began);
  return check;
}

CheckResult check_capabilities(mcp::Session& session, std::chrono::milliseconds timeout,
                               ServedSet& served) {
  auto began = Clock::now();
  CheckResult check = make("capabilities", "Capability tests");
  const Json& capabilities = session.server().capabilities;
  auto declared = [&](const char* key) {
    return capabilities.is_object() && capabilities.contains(key);
  };
  struct Listing {
    const char* capability;
    const char* method;
    std::vector<Json>* into;
  };
  for (const Listing& listing : {Listing{"tools", "tools/list", &served.tools},
                                 Listing{"prompts", "prompts/list", &served.prompts},
                                 Listing{"resources", "resources/list", &served.resources}}) {
    if (!declared(listing.capability)) continue;
    try {
      *listing.into = session.list_all(listing.method, listing.capability, timeout);
    } catch (const Error& error) {
      check.findings.push_back({"capabilities.list", Severity::fail,
                                std::string(listing.method) + " failed: " + error.problem(),
                                listing.method, ""});
    }
  }
  for (auto& finding : check_tool_definitions(served.tools))
    check.findings.push_back(std::move(finding));
  for (size_t i = 0; i < served.prompts.size(); ++i) {
    const Json& prompt = served.prompts[i];
    if (!prompt.is_object() || !prompt.contains("name") || !prompt["name"].is_string() ||
        prompt["name"].get<std::string>().empty())
      check.findings.push_back({"capabilities.prompt", Severity::fail, "a prompt without a name",
                                "prompts/list: prompt " + std::to_string(i), prompt.dump()});
  }
  for (size_t i = 0; i < served.resources.size(); ++i) {
    const Json& resource = served.resources[i];
    if (!resource.is_object() || !resource.contains("uri") || !resource["uri"].is_string() ||
        !resource.contains("name") || !resource["name"].is_string())
      check.findings.push_back(
          {"capabilities.resource", Severity::fail, "a resource without a uri or a name",
           "resources/list: resource " + std::to_string(i), resource.dump().substr(0, 160)});
  }
  check.status = status_of(check.findings);
  check.detail = plural(served.tools.size(), "tool") + ", " +
                 plural(served.prompts.size(), "prompt") + ", " +
                 plural(served.resources.size(), "resource");
  for (const auto& finding : check.findings)
    if (finding.severity == Severity::fail) {
      check.detail = finding.evidence + ": " + finding.message;
      break;
    }
  check.took = elapsed_since(began);
  return check;
}

CheckResult check_package_calls(mcp::Session& session, const PackageTests& tests) {
  auto began = Clock::now();
  CheckResult check = make("queries", "Query test");
  for (const auto& call : tests.calls) {
    auto timeout = call.timeout.count() > 0 ? call.timeout : tests.timeout;
    Json result;
    std::optional<std::string> rpc_error;
    std::string evidence = "call " + call.tool + " (" + call.where + ")";
    try {
      result = session.call_tool(call.tool, call.arguments, timeout);
    } catch (const mcp::RpcError& error) {
      rpc_error = error.rpc_message();
    } catch (const Error& error) {
      check.findings.push_back(
          {"package.call", Severity::fail,
           "no answer within " + mcp::describe_duration(timeout) + ": " + error.problem(), evidence,
           ""});
      continue;
    }
    if (auto problem = check_call_answer(result, rpc_error, call.expect))
      check.findings.push_back({"package.call", Severity::fail, *problem, evidence, ""});
  }
  check.status = status_of(check.findings);
  check.detail = plural(tests.calls.size(), "call") + " from " + tests.source;
  for (const auto& finding : check.findings) {
    check.detail = finding.evidence + ": " + finding.message;
    break;
  }
  check.took = elapsed_since(began);
  return check;
}

}  // namespace ccmcp::tester
