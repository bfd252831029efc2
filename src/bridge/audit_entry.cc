#include "bridge/audit_entry.h"

#include <cstdio>
#include <ctime>

#include "bridge/sha256.h"

namespace ccmcp::bridge {

namespace {

using Json = nlohmann::ordered_json;

// Long enough for any real tool name or URI, short enough that a hostile
// one cannot make each line a megabyte.
constexpr size_t kMaxNameBytes = 1024;
constexpr size_t kMaxMessageBytes = 512;

std::string cut(std::string text, size_t limit) {
  if (text.size() <= limit) return text;
  size_t end = limit;
  // Not in the middle of a UTF-8 sequence.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  return text + "...";
}

std::string dump(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

bool is_audited_method(std::string_view method) {
  return method == "tools/call" || method == "resources/read" || method == "prompts/get";
}

std::optional<AuditCall> audit_call_of(std::string_view method, const Json* params) {
  if (!is_audited_method(method)) return std::nullopt;
  AuditCall call;
  call.method = std::string(method);
  call.started = std::chrono::system_clock::now();
  if (!params || !params->is_object()) return call;
  const char* name_key = method == "resources/read" ? "uri" : "name";
  if (auto name = params->find(name_key); name != params->end())
    call.name = cut(name->is_string() ? name->get<std::string>() : dump(*name), kMaxNameBytes);
  // The compact form, so that the same arguments give the same digest
  // whatever spacing the client used.
  if (auto args = params->find("arguments"); args != params->end() && !args->is_null()) {
    std::string text = dump(*args);
    call.args_bytes = text.size();
    call.args_sha256 = sha256_hex(text);
  }
  return call;
}

std::optional<AuditCall> audit_call_of_raw(std::string_view method_token,
                                           std::string_view params_text) {
  if (method_token.size() < 2) return std::nullopt;
  std::string unescaped;
  std::string_view method = method_token.substr(1, method_token.size() - 2);
  if (method.find('\\') != std::string_view::npos) {
    // "tools\/call" is tools/call to the server: it must not slip past.
    Json token = Json::parse(method_token, nullptr, false);
    if (!token.is_string()) return std::nullopt;
    unescaped = token.get<std::string>();
    method = unescaped;
  }
  if (!is_audited_method(method)) return std::nullopt;  // no parse for the rest
  Json params = params_text.empty() ? Json() : Json::parse(params_text, nullptr, false);
  return audit_call_of(method, params.is_discarded() ? nullptr : &params);
}

AuditOutcome AuditOutcome::of_error(const Json& error) {
  AuditOutcome outcome{"error", std::nullopt, ""};
  if (!error.is_object()) return outcome;
  if (auto code = error.find("code"); code != error.end() && code->is_number_integer())
    outcome.code = code->get<int64_t>();
  if (auto message = error.find("message"); message != error.end() && message->is_string())
    outcome.message = cut(message->get<std::string>(), kMaxMessageBytes);
  return outcome;
}

std::string rfc3339_millis(std::chrono::system_clock::time_point when) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(when.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char text[80];  // room for any int the format may print
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(ms % 1000));
  return text;
}

std::string audit_line(const AuditCall& call, const std::string& session, int64_t duration_ms,
                       const AuditOutcome& outcome) {
  Json line;
  line["time"] = rfc3339_millis(call.started);
  line["session"] = session;
  line["method"] = call.method;
  line["name"] = call.name;
  line["argsBytes"] = call.args_bytes;
  if (!call.args_sha256.empty()) line["argsSha256"] = call.args_sha256;
  line["durationMs"] = duration_ms;
  line["status"] = outcome.status;
  if (outcome.code || !outcome.message.empty()) {
    Json error = Json::object();
    if (outcome.code) error["code"] = *outcome.code;
    if (!outcome.message.empty()) error["message"] = outcome.message;
    line["error"] = error;
  }
  return dump(line);
}

}  // namespace ccmcp::bridge
