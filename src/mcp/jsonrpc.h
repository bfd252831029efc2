// JSON-RPC 2.0 as MCP uses it: building messages, telling them apart, and
// the error a failed request becomes.
#pragma once

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "util/error.h"

namespace ccmcp::mcp {

using Json = nlohmann::json;

// The protocol version this client speaks first.
inline constexpr const char* kProtocolVersion = "2025-11-25";

// Standard and MCP error codes used here.
inline constexpr int kParseError = -32700;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInternalError = -32603;
inline constexpr int kServerError = -32000;  // "the server could not answer", ours

Json make_request(const Json& id, const std::string& method, const Json& params);
Json make_notification(const std::string& method, const Json& params = nullptr);
Json make_result(const Json& id, const Json& result);
Json make_error(const Json& id, int code, const std::string& message, const Json& data = nullptr);

// A request has a method and an id, a notification a method and no id, a
// response an id and a result or error (and no method).
bool is_request(const Json& message);
bool is_notification(const Json& message);
bool is_response(const Json& message);

// A JSON-RPC error answer: the peer understood and said no.
class RpcError : public Error {
 public:
  // `subject` names the server in the message ("http://127.0.0.1:20123/mcp").
  RpcError(std::string subject, const std::string& method, int code, std::string rpc_message,
           Json data = nullptr);
  int code() const { return code_; }
  const std::string& rpc_message() const { return rpc_message_; }
  const Json& data() const { return data_; }

 private:
  int code_;
  std::string rpc_message_;
  Json data_;
};

// The result of a response, or RpcError for an error response.
Json result_or_throw(const Json& response, const std::string& subject, const std::string& method);

// "30 s", "250 ms": a duration for messages.
std::string describe_duration(std::chrono::milliseconds duration);

}  // namespace ccmcp::mcp
