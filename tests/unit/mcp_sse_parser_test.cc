#include "mcp/sse_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ccmcp::mcp {
namespace {

struct Seen {
  std::string type, data, id;
  bool operator==(const Seen&) const = default;
};

std::vector<Seen> parse_in_pieces(const std::string& stream, std::vector<size_t> cuts) {
  std::vector<Seen> seen;
  SseParser parser([&](const SseEvent& event) {
    seen.push_back({event.type, event.data, event.id});
    return true;
  });
  size_t at = 0;
  cuts.push_back(stream.size());
  for (size_t cut : cuts) {
    parser.feed(std::string_view(stream).substr(at, cut - at));
    at = cut;
  }
  return seen;
}

TEST(SseParser, EventsSplitAtEveryByteComeOutTheSame) {
  const std::string stream =
      "\xEF\xBB\xBF: keep-alive comment\r\n"
      "id: 7\r\n"
      "data:\r\n\r\n"  // a priming event: an id and empty data
      "event: message\n"
      "data: {\"a\":1}\n\n"
      "data: line one\r"
      "data:line two\r\r"
      "event: endpoint\n"
      "id: 8\n"
      "retry: 1500\n"
      "data: /message?x=1\n\n"
      "data: no blank line at the end yet";
  const std::vector<Seen> want = {{"message", "", "7"},
                                  {"message", "{\"a\":1}", "7"},
                                  {"message", "line one\nline two", "7"},
                                  {"endpoint", "/message?x=1", "8"}};
  EXPECT_EQ(parse_in_pieces(stream, {}), want);
  for (size_t cut = 0; cut <= stream.size(); ++cut)
    EXPECT_EQ(parse_in_pieces(stream, {cut}), want) << "cut at " << cut;
  std::vector<size_t> every;
  for (size_t cut = 1; cut < stream.size(); ++cut) every.push_back(cut);
  EXPECT_EQ(parse_in_pieces(stream, every), want);
}

TEST(SseParser, KeepsRetryAndTheLastId) {
  SseParser parser([](const SseEvent&) { return true; });
  parser.feed("retry: 2500\nid: abc\ndata: x\n\nretry: soon\n\n");
  EXPECT_EQ(parser.retry_ms(), 2500);
  EXPECT_EQ(parser.last_event_id(), "abc");
}

TEST(SseParser, AnEventWithoutDataIsNotDispatched) {
  int events = 0;
  SseParser parser([&](const SseEvent&) { return ++events, true; });
  parser.feed("event: ping\n\nid: 3\n\n: comment\n\n");
  EXPECT_EQ(events, 0);
}

TEST(SseParser, TheHandlerStopsIt) {
  int events = 0;
  SseParser parser([&](const SseEvent&) { return ++events < 2; });
  EXPECT_TRUE(parser.feed("data: 1\n\n"));
  EXPECT_FALSE(parser.feed("data: 2\n\ndata: 3\n\n"));
  EXPECT_FALSE(parser.feed("data: 4\n\n"));
  EXPECT_EQ(events, 2);
}

TEST(SseParser, AFieldWithoutColonHasAnEmptyValue) {
  std::vector<std::string> data;
  SseParser parser([&](const SseEvent& event) { return data.push_back(event.data), true; });
  parser.feed("data\ndata\n\n");
  ASSERT_EQ(data.size(), 1u);
  EXPECT_EQ(data[0], "\n");
}

}  // namespace
}  // namespace ccmcp::mcp
