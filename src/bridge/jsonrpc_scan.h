// The bridge's hot path: find where a JSON-RPC message's top-level members
// are without building a document, so that forwarding a request or an
// answer costs one pass over its bytes and one splice of its id.
//
// The scan is strict (RFC 8259 grammar, nesting bounded): text it accepts is
// one well-formed JSON object. Anything unusual (a key with escapes, a
// member twice, deep nesting) makes it say no, and the caller takes the slow
// path, which parses fully and reports problems properly.
#pragma once

#include <cstddef>
#include <string_view>

namespace ccmcp::bridge {

struct Span {
  size_t begin = 0;
  size_t end = 0;
  bool found = false;
  std::string_view of(std::string_view text) const { return text.substr(begin, end - begin); }
};

struct TopLevelFields {
  Span jsonrpc, id, method, params, result, error;
};

bool scan_top_level(std::string_view text, TopLevelFields& out);

}  // namespace ccmcp::bridge
