// What the audit file says about one call: tools/call, resources/read and
// prompts/get, the three by which a client makes a server act or hand over
// data. The arguments are kept as their size and SHA-256 only, never their
// values: the file says that a call happened and lets two calls be matched,
// without becoming a copy of what was sent.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ccmcp::bridge {

struct AuditCall {
  std::string method;  // tools/call, resources/read or prompts/get
  std::string name;    // the tool, the resource's URI or the prompt
  uint64_t args_bytes = 0;
  std::string args_sha256;  // empty when the call has no arguments
  std::chrono::system_clock::time_point started;
};

// How the call ended, as its client was told.
struct AuditOutcome {
  std::string status;  // ok, error, timeout, server exited, session ended, client disconnected
  std::optional<int64_t> code;
  std::string message;

  static AuditOutcome ok() { return {"ok", std::nullopt, ""}; }
  // From an answer's "error" member (code and message, as far as they are there).
  static AuditOutcome of_error(const nlohmann::ordered_json& error);
};

bool is_audited_method(std::string_view method);

// The call a request makes, or nullopt for a method that is not audited.
// `params` may be null or not an object: a bad request is still audited.
std::optional<AuditCall> audit_call_of(std::string_view method,
                                       const nlohmann::ordered_json* params);

// The fast path has the request's raw text only: its method (a JSON string
// token, quotes included) and params (the raw value, or empty).
std::optional<AuditCall> audit_call_of_raw(std::string_view method_token,
                                           std::string_view params_text);

// One line of the file (no newline): time in UTC to the millisecond.
std::string audit_line(const AuditCall& call, const std::string& session, int64_t duration_ms,
                       const AuditOutcome& outcome);

// "2026-12-08T10:00:00.123Z".
std::string rfc3339_millis(std::chrono::system_clock::time_point when);

}  // namespace ccmcp::bridge
