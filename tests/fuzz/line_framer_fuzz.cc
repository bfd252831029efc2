// libFuzzer target for LineFramer.
//
// Input: byte 0 is max_line_bytes, bytes 1..4 seed the split points, the rest
// is the child's output. Framed whole and in random pieces, the events must
// be the same, and they must account for every input byte: each line is the
// input at that point (plus an optional '\r' and the '\n'), everything skipped
// between events is whitespace-only lines, each overflow is one line longer
// than the limit, and what is left is the unfinished line the framer holds.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "bridge/line_framer.h"
#include "fuzz_check.h"

namespace ccmcp::bridge {
namespace {

struct Event {
  bool overflow = false;
  std::string line;
  size_t dropped = 0;
  bool operator==(const Event&) const = default;
};

struct Result {
  std::vector<Event> events;
  size_t held = 0;  // buffered() + dropping() at the end
};

bool blank(std::string_view s) {
  return s.find_first_not_of(" \t\r") == std::string_view::npos;
}

Result run(std::string_view input, size_t max_line, uint32_t seed, bool split) {
  LineFramer framer(max_line);
  Result out;
  uint32_t x = seed | 1;
  size_t fed = 0;
  while (!input.empty()) {
    size_t n = input.size();
    if (split) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      n = std::min<size_t>(n, 1 + (x & 0x1ff) % ((x & 0x200) ? 4 : 300));
    }
    framer.feed(
        input.substr(0, n),
        [&](std::string_view line) {
          CHECK(line.find('\n') == std::string_view::npos);
          CHECK(!blank(line));
          CHECK(line.size() <= max_line);
          out.events.push_back({false, std::string(line), 0});
        },
        [&](size_t dropped) {
          CHECK(dropped > max_line);
          out.events.push_back({true, {}, dropped});
        });
    fed += n;
    input.remove_prefix(n);
    CHECK(framer.buffered() <= max_line);
    CHECK(framer.buffered() == 0 || framer.dropping() == 0);
    CHECK(framer.bytes_scanned() == fed);  // each byte searched once
  }
  out.held = framer.buffered() + framer.dropping();
  return out;
}

// Walks the input along the events; every byte must be explained.
void check_accounting(std::string_view input, size_t max_line, const Result& result) {
  size_t at = 0;
  auto skip_blank_lines = [&] {
    while (true) {
      const size_t nl = input.find('\n', at);
      // A blank line over the limit is an overflow, not a skipped line.
      if (nl == std::string_view::npos || nl - at > max_line || !blank(input.substr(at, nl - at)))
        return;
      at = nl + 1;
    }
  };
  for (const Event& e : result.events) {
    skip_blank_lines();
    const size_t nl = input.find('\n', at);
    CHECK(nl != std::string_view::npos);
    const std::string_view raw = input.substr(at, nl - at);
    if (e.overflow) {
      CHECK(raw.size() == e.dropped);
      CHECK(raw.size() > max_line);
    } else {
      CHECK(raw.size() <= max_line);
      CHECK(raw == e.line || raw == e.line + "\r");
      CHECK(raw.empty() || raw.back() != '\r' || raw == e.line + "\r");
    }
    at = nl + 1;
  }
  skip_blank_lines();
  const std::string_view rest = input.substr(at);
  CHECK(rest.find('\n') == std::string_view::npos);
  CHECK(rest.size() == result.held);
}

}  // namespace
}  // namespace ccmcp::bridge

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ccmcp::bridge;
  if (size < 5) return 0;
  const size_t max_line = data[0];
  uint32_t seed;
  std::memcpy(&seed, data + 1, sizeof seed);
  const std::string_view input(reinterpret_cast<const char*>(data) + 5, size - 5);

  const Result whole = run(input, max_line, seed, false);
  const Result split = run(input, max_line, seed, true);
  CHECK(split.events == whole.events);
  CHECK(split.held == whole.held);
  check_accounting(input, max_line, whole);
  return 0;
}
