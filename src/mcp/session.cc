#include "mcp/session.h"

#include "version.h"

namespace ccmcp::mcp {

namespace {
std::string string_at(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}
}  // namespace

ServerInfo Session::initialize(std::chrono::milliseconds timeout, const ClientInfo& client) {
  Json params = {
      {"protocolVersion", kProtocolVersion},
      {"capabilities", client.capabilities.is_object() ? client.capabilities : Json::object()},
      {"clientInfo",
       {{"name", client.name},
        {"version", client.version.empty() ? CCMCP_VERSION : client.version}}}};
  Json result = send_initialize(params, timeout);
  if (!result.is_object())
    throw Error(ErrorKind::runtime, label_, "answered initialize without a result object",
                "is this an MCP server?");
  ServerInfo info;
  info.protocol_version = string_at(result, "protocolVersion");
  if (info.protocol_version.empty())
    throw Error(ErrorKind::runtime, label_, "answered initialize without a protocolVersion",
                "is this an MCP server?");
  if (auto server = result.find("serverInfo"); server != result.end() && server->is_object()) {
    info.name = string_at(*server, "name");
    info.version = string_at(*server, "version");
  }
  info.instructions = string_at(result, "instructions");
  if (auto caps = result.find("capabilities"); caps != result.end() && caps->is_object())
    info.capabilities = *caps;
  server_ = info;
  initialized(info);
  notify("notifications/initialized");
  return info;
}

std::vector<Json> Session::list_tools(std::chrono::milliseconds timeout) {
  return list_all("tools/list", "tools", timeout);
}

std::vector<Json> Session::list_all(const std::string& method, const std::string& key,
                                    std::chrono::milliseconds timeout) {
  std::vector<Json> items;
  Json params = Json::object();
  // A server that hands out the same cursor forever must not hold us.
  for (int page = 0; page < 1000; ++page) {
    Json result = request(method, params, timeout);
    if (result.is_object() && result.contains(key) && result[key].is_array())
      for (const auto& item : result[key]) items.push_back(item);
    if (!result.is_object() || !result.contains("nextCursor") || !result["nextCursor"].is_string())
      break;
    params["cursor"] = result["nextCursor"];
  }
  return items;
}

void Session::ping(std::chrono::milliseconds timeout) {
  request("ping", Json::object(), timeout);
}

Json Session::call_tool(const std::string& name, const Json& arguments,
                        std::chrono::milliseconds timeout) {
  // `{}` in C++ is null; a tool call's arguments are an object.
  return request("tools/call",
                 {{"name", name}, {"arguments", arguments.is_null() ? Json::object() : arguments}},
                 timeout);
}

void Session::dispatch(const Json& message) {
  if (is_notification(message)) {
    if (on_notification_)
      on_notification_(message["method"].get<std::string>(),
                       message.contains("params") ? message["params"] : Json());
    return;
  }
  if (!is_request(message) || !message["method"].is_string()) return;
  const std::string method = message["method"].get<std::string>();
  const Json& id = message["id"];
  Json answer;
  try {
    if (on_request_) {
      answer = make_result(id, on_request_(method, message.value("params", Json::object())));
    } else if (method == "ping") {
      answer = make_result(id, Json::object());
    } else {
      answer = make_error(id, kMethodNotFound, "this client does not handle " + method);
    }
  } catch (const RpcError& error) {
    answer = make_error(id, error.code(), error.rpc_message(), error.data());
  } catch (const std::exception& error) {
    answer = make_error(id, kInternalError, error.what());
  }
  send_answer(answer);
}

Error Session::timed_out(const std::string& method, std::chrono::milliseconds timeout) const {
  return Error(ErrorKind::runtime, label_,
               "no answer to " + method + " within " + describe_duration(timeout),
               "the server may be stuck; see its log");
}

}  // namespace ccmcp::mcp
