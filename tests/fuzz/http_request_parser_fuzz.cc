// libFuzzer target for HttpRequestParser.
//
// Input: byte 0 sets max_header_bytes, byte 1 the other limits (0xff keeps
// the defaults), bytes 2..5 seed the split points, the rest is the stream of
// one connection. It is parsed twice, whole and in random pieces; besides
// memory errors (ASan, UBSan) it checks the parser's promises and that the
// split never changes the result.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

#include "bridge/http_request_parser.h"
#include "fuzz_check.h"

namespace ccmcp::bridge {
namespace {

struct Result {
  std::vector<HttpRequest> requests;
  ParseState state = ParseState::need_more;
  int status = 0;
  std::string reason;
  size_t consumed = 0;
};

bool lowercase_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c >= 'A' && c <= 'Z') return false;
  return true;
}

void check_request(const HttpRequest& r, const HttpLimits& limits) {
  CHECK(r.body.size() <= limits.max_body_bytes);
  CHECK(r.headers.size() <= limits.max_headers);
  CHECK(r.version_minor == 0 || r.version_minor == 1);
  CHECK(!r.method.empty());
  CHECK(!r.target.empty() && r.target.front() == '/');
  CHECK(r.path.find('?') == std::string::npos);
  CHECK(r.target == r.path || r.target == r.path + "?" + r.query);
  CHECK(r.method.size() + r.target.size() <= limits.max_header_bytes);
  for (const auto& [name, value] : r.headers) {
    CHECK(lowercase_token(name));
    CHECK(value.find_first_of("\r\n") == std::string::npos);
  }
  if (r.version_minor == 1) CHECK(r.header("host") != nullptr);
}

void feed_piece(HttpRequestParser& parser, std::string_view data, const HttpLimits& limits,
                Result& out) {
  while (!data.empty() && out.state != ParseState::error) {
    const ParseState before = parser.state();
    const size_t used = parser.feed(data);
    CHECK(used <= data.size());
    out.consumed += used;
    data.remove_prefix(used);
    switch (parser.state()) {
      case ParseState::need_more:
        CHECK(data.empty());  // need_more uses everything, so this loop ends
        break;
      case ParseState::expect_continue:
        CHECK(used > 0);
        parser.continue_sent();
        CHECK(parser.state() == ParseState::need_more);
        break;
      case ParseState::complete: {
        CHECK(parser.feed(data) == 0);  // nothing more until take()
        HttpRequest r = parser.take();
        check_request(r, limits);
        CHECK(parser.state() == ParseState::need_more);
        out.requests.push_back(std::move(r));
        break;
      }
      case ParseState::error: {
        CHECK(before != ParseState::error);
        const int s = parser.error_status();
        CHECK(s == 400 || s == 413 || s == 431 || s == 501 || s == 505);
        CHECK(!parser.error_reason().empty());
        out.state = ParseState::error;
        out.status = s;
        out.reason = parser.error_reason();
        // An error is final: more input, take() and continue_sent() change nothing.
        CHECK(parser.feed(data) == 0);
        CHECK(parser.feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n") == 0);
        CHECK(parser.take().method.empty());
        parser.continue_sent();
        CHECK(parser.state() == ParseState::error);
        CHECK(parser.error_status() == s);
        break;
      }
    }
  }
}

Result run(std::string_view input, const HttpLimits& limits, uint32_t seed, bool split) {
  HttpRequestParser parser(limits);
  Result out;
  uint32_t x = seed | 1;
  while (!input.empty() && out.state != ParseState::error) {
    size_t n = input.size();
    if (split) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      n = std::min<size_t>(n, (x & 0x100) ? 1 + (x & 3) : 1 + (x & 0x3f));
    }
    feed_piece(parser, input.substr(0, n), limits, out);
    input.remove_prefix(n);
  }
  if (out.state != ParseState::error) out.state = parser.state();
  // Each byte is searched for a line end at most once.
  CHECK(parser.bytes_scanned() <= out.consumed);
  return out;
}

}  // namespace
}  // namespace ccmcp::bridge

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ccmcp::bridge;
  if (size < 6) return 0;
  HttpLimits limits;
  limits.max_header_bytes = 16 + size_t{data[0]} * 8;
  if (data[1] != 0xff) {
    limits.max_headers = data[1] % 16;
    limits.max_body_bytes = (data[1] / 16) * 37;
  }
  uint32_t seed;
  std::memcpy(&seed, data + 2, sizeof seed);
  const std::string_view input(reinterpret_cast<const char*>(data) + 6, size - 6);

  const Result whole = run(input, limits, seed, false);
  const Result split = run(input, limits, seed, true);
  CHECK(whole.consumed <= input.size());
  CHECK(split.requests == whole.requests);
  CHECK(split.state == whole.state);
  CHECK(split.status == whole.status);
  CHECK(split.reason == whole.reason);
  CHECK(split.consumed == whole.consumed);
  if (whole.state != ParseState::error) CHECK(whole.consumed == input.size());
  return 0;
}
