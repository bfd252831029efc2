// libFuzzer target for scan_top_level, the bridge's no-document fast path.
// Soundness against nlohmann::json: whatever the scan accepts must be one
// JSON object, and every member it located must hold exactly the value the
// full parser finds under that key.
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bridge/jsonrpc_scan.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ccmcp::bridge::TopLevelFields fields;
  if (!ccmcp::bridge::scan_top_level(text, fields)) return 0;
  auto doc = nlohmann::json::parse(text, nullptr, false);
  CHECK(!doc.is_discarded());
  CHECK(doc.is_object());
  const std::pair<const char*, ccmcp::bridge::Span*> members[] = {
      {"jsonrpc", &fields.jsonrpc}, {"id", &fields.id},         {"method", &fields.method},
      {"params", &fields.params},   {"result", &fields.result}, {"error", &fields.error}};
  for (auto [key, span] : members) {
    CHECK(span->found == doc.contains(key));
    if (!span->found) continue;
    CHECK(span->begin <= span->end && span->end <= text.size());
    auto value = nlohmann::json::parse(span->of(text), nullptr, false);
    CHECK(!value.is_discarded());
    CHECK(value == doc[key]);
  }
  return 0;
}
