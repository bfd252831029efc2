#include "mcp/jsonrpc.h"

namespace ccmcp::mcp {

Json make_request(const Json& id, const std::string& method, const Json& params) {
  Json message = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
  if (!params.is_null()) message["params"] = params;
  return message;
}

Json make_notification(const std::string& method, const Json& params) {
  Json message = {{"jsonrpc", "2.0"}, {"method", method}};
  if (!params.is_null()) message["params"] = params;
  return message;
}

Json make_result(const Json& id, const Json& result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", result}};
}

Json make_error(const Json& id, int code, const std::string& message, const Json& data) {
  Json error = {{"code", code}, {"message", message}};
  if (!data.is_null()) error["data"] = data;
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", error}};
}

bool is_request(const Json& message) {
  return message.is_object() && message.contains("method") && message.contains("id");
}

bool is_notification(const Json& message) {
  return message.is_object() && message.contains("method") && !message.contains("id");
}

bool is_response(const Json& message) {
  return message.is_object() && !message.contains("method") && message.contains("id") &&
         (message.contains("result") || message.contains("error"));
}

RpcError::RpcError(std::string subject, const std::string& method, int code,
                   std::string rpc_message, Json data)
    : Error(ErrorKind::runtime, std::move(subject),
            method + " failed: " + rpc_message + " (JSON-RPC error " + std::to_string(code) + ")"),
      code_(code),
      rpc_message_(std::move(rpc_message)),
      data_(std::move(data)) {}

Json result_or_throw(const Json& response, const std::string& subject, const std::string& method) {
  if (auto error = response.find("error"); error != response.end()) {
    int code = kInternalError;
    std::string text = "no message";
    Json data;
    if (error->is_object()) {
      if (auto c = error->find("code"); c != error->end() && c->is_number_integer())
        code = c->get<int>();
      if (auto m = error->find("message"); m != error->end() && m->is_string())
        text = m->get<std::string>();
      if (auto d = error->find("data"); d != error->end()) data = *d;
    }
    throw RpcError(subject, method, code, text, data);
  }
  auto result = response.find("result");
  return result == response.end() ? Json() : *result;
}

std::string describe_duration(std::chrono::milliseconds duration) {
  auto ms = duration.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  if (ms > 10000) return std::to_string((ms + 500) / 1000) + " s";
  return std::to_string(ms) + " ms";
}

}  // namespace ccmcp::mcp
