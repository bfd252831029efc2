#include "bridge/line_framer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ccmcp::bridge {
namespace {

// What the framer reported, in order: a line as itself, an overflow as
// "<dropped N>".
struct Events {
  std::vector<std::string> all;
  std::vector<const char*> line_starts;
};

void feed(LineFramer& framer, std::string_view data, Events& events) {
  framer.feed(
      data,
      [&](std::string_view line) {
        events.all.emplace_back(line);
        events.line_starts.push_back(line.data());
      },
      [&](size_t dropped) { events.all.push_back("<dropped " + std::to_string(dropped) + ">"); });
}

std::vector<std::string> frame(std::string_view input, size_t piece = 0,
                               size_t max_line = 64 << 20) {
  LineFramer framer(max_line);
  Events events;
  if (piece == 0) piece = input.size() + 1;
  for (size_t at = 0; at < input.size(); at += piece) feed(framer, input.substr(at, piece), events);
  return events.all;
}

// Splitting the input must never change the result.
std::vector<std::string> frame_all_ways(std::string_view input, size_t max_line = 64 << 20) {
  const std::vector<std::string> whole = frame(input, 0, max_line);
  for (size_t piece : {1, 2, 3, 5, 8, 13})
    EXPECT_EQ(frame(input, piece, max_line), whole) << "piece " << piece;
  return whole;
}

using Lines = std::vector<std::string>;

TEST(LineFramer, SplitsLines) {
  EXPECT_EQ(frame_all_ways("{\"a\":1}\n{\"b\":2}\n"), (Lines{"{\"a\":1}", "{\"b\":2}"}));
  EXPECT_EQ(frame_all_ways("x\n"), (Lines{"x"}));
  EXPECT_EQ(frame_all_ways(""), Lines{});
}

TEST(LineFramer, StripsOneTrailingCarriageReturn) {
  EXPECT_EQ(frame_all_ways("a\r\nb\r\r\nc\rd\n"), (Lines{"a", "b\r", "c\rd"}));
}

TEST(LineFramer, SkipsEmptyAndWhitespaceLines) {
  EXPECT_EQ(frame_all_ways("\n\r\n  \t \r\n{}\n \n\n[1]\n"), (Lines{"{}", "[1]"}));
  EXPECT_EQ(frame_all_ways(" {} \n"), (Lines{" {} "}));  // other lines are left as they are
}

TEST(LineFramer, HoldsAnUnfinishedLine) {
  LineFramer framer;
  Events events;
  feed(framer, "{\"a\":1}\n{\"b\"", events);
  EXPECT_EQ(events.all, (Lines{"{\"a\":1}"}));
  EXPECT_EQ(framer.buffered(), 4u);
  feed(framer, ":2", events);
  EXPECT_EQ(framer.buffered(), 6u);
  feed(framer, "}\n", events);
  EXPECT_EQ(events.all, (Lines{"{\"a\":1}", "{\"b\":2}"}));
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(LineFramer, WholeLinesAreNotCopied) {
  const std::string input = "first\nsecond\nthi";
  LineFramer framer;
  Events events;
  feed(framer, input, events);
  ASSERT_EQ(events.line_starts.size(), 2u);
  EXPECT_EQ(events.line_starts[0], input.data());
  EXPECT_EQ(events.line_starts[1], input.data() + 6);
}

TEST(LineFramer, FinishDeliversALastLineWithoutNewline) {
  LineFramer framer;
  Events events;
  feed(framer, "{\"a\":1}\n{\"b\":2}", events);
  framer.finish([&](std::string_view line) { events.all.emplace_back(line); },
                [&](size_t) { events.all.push_back("<dropped>"); });
  EXPECT_EQ(events.all, (Lines{"{\"a\":1}", "{\"b\":2}"}));
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(LineFramer, LimitIsInclusive) {
  EXPECT_EQ(frame_all_ways("abcd\n", 4), (Lines{"abcd"}));
  EXPECT_EQ(frame_all_ways("abcde\nxy\n", 4), (Lines{"<dropped 5>", "xy"}));
  // The '\r' counts: the limit is on what precedes the '\n'.
  EXPECT_EQ(frame_all_ways("abc\r\nabcd\r\n", 4), (Lines{"abc", "<dropped 5>"}));
  EXPECT_EQ(frame_all_ways("\n\n\n", 0), Lines{});
  EXPECT_EQ(frame_all_ways("a\n", 0), (Lines{"<dropped 1>"}));
}

TEST(LineFramer, OverlongLineIsDroppedWholeAndReportedOnce) {
  const std::string big(1000, 'x');
  EXPECT_EQ(frame_all_ways("a\n" + big + "\nb\n" + big + big + "\nc\n", 100),
            (Lines{"a", "<dropped 1000>", "b", "<dropped 2000>", "c"}));
  // Dropped bytes are not kept in memory while waiting for the line's end.
  LineFramer framer(100);
  Events events;
  feed(framer, "ok\n" + std::string(60, 'y'), events);
  EXPECT_EQ(framer.buffered(), 60u);
  EXPECT_EQ(framer.dropping(), 0u);
  feed(framer, std::string(60, 'y'), events);
  EXPECT_EQ(framer.buffered(), 0u);
  EXPECT_EQ(framer.dropping(), 120u);
  feed(framer, std::string(500, 'y'), events);
  EXPECT_EQ(framer.buffered(), 0u);
  EXPECT_EQ(framer.dropping(), 620u);
  EXPECT_EQ(events.all, (Lines{"ok"}));
  feed(framer, "y\n{}\n", events);
  EXPECT_EQ(events.all, (Lines{"ok", "<dropped 621>", "{}"}));
  EXPECT_EQ(framer.dropping(), 0u);
}

TEST(LineFramer, FinishWhileDroppingReportsTheOverflow) {
  LineFramer framer(4);
  Events events;
  feed(framer, "abcdefgh", events);
  framer.finish([&](std::string_view line) { events.all.emplace_back(line); },
                [&](size_t dropped) { events.all.push_back(std::to_string(dropped)); });
  EXPECT_EQ(events.all, (Lines{"8"}));
}

TEST(LineFramer, TenMegabyteLineInPiecesIsScannedOnce) {
  std::string line(10 << 20, 'a');
  line.front() = '{';
  line.back() = '}';
  const std::string input = line + "\r\n{}\n";
  LineFramer framer;
  size_t lines = 0;
  size_t first_size = 0;
  bool first_matches = false;
  for (size_t at = 0; at < input.size(); at += 4096) {
    framer.feed(
        std::string_view(input).substr(at, 4096),
        [&](std::string_view l) {
          if (lines++ == 0) {
            first_size = l.size();
            first_matches = l == line;
          }
        },
        [](size_t) { FAIL() << "no overflow expected"; });
  }
  EXPECT_EQ(lines, 2u);
  EXPECT_EQ(first_size, line.size());
  EXPECT_TRUE(first_matches);
  // Linear: every byte searched exactly once, never the held part again.
  EXPECT_EQ(framer.bytes_scanned(), input.size());
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(LineFramer, RandomInputSameWhateverTheSplit) {
  uint64_t state = 0x9e3779b97f4a7c15u;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (int round = 0; round < 50; ++round) {
    std::string input;
    const size_t size = next() % 400;
    for (size_t i = 0; i < size; ++i) input.push_back("ab \t\r\n\n{}"[next() % 9]);
    frame_all_ways(input, next() % 20);
  }
}

}  // namespace
}  // namespace ccmcp::bridge
