#include "bridge/http_request_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace ccmcp::bridge {
namespace {

struct Outcome {
  std::vector<HttpRequest> requests;
  ParseState state = ParseState::need_more;
  int status = 0;
  std::string reason;
  size_t consumed = 0;
  int continues = 0;  // 100 Continue responses the server would have written
};

// Feeds `input` in pieces of `piece` bytes (0: all at once) the way the
// bridge's event loop will: taking finished requests, answering expectations,
// feeding leftovers again, and stopping at an error.
Outcome run(std::string_view input, size_t piece = 0, HttpLimits limits = {}) {
  HttpRequestParser parser(limits);
  Outcome out;
  if (piece == 0) piece = input.size() + 1;
  for (size_t at = 0; at < input.size(); at += piece) {
    std::string_view data = input.substr(at, piece);
    while (!data.empty()) {
      const size_t used = parser.feed(data);
      EXPECT_LE(used, data.size());
      out.consumed += used;
      data.remove_prefix(used);
      switch (parser.state()) {
        case ParseState::complete:
          out.requests.push_back(parser.take());
          break;
        case ParseState::expect_continue:
          ++out.continues;
          parser.continue_sent();
          break;
        case ParseState::error:
          out.state = ParseState::error;
          out.status = parser.error_status();
          out.reason = parser.error_reason();
          return out;
        case ParseState::need_more:
          EXPECT_TRUE(data.empty()) << "need_more must use all it is given";
          break;
      }
    }
  }
  out.state = parser.state();
  return out;
}

// The same outcome whether the input comes at once, a byte at a time, or in
// pieces of a few sizes: splitting must never change what is parsed.
Outcome run_all_ways(std::string_view input, HttpLimits limits = {}) {
  const Outcome whole = run(input, 0, limits);
  for (size_t piece : {1, 2, 3, 7, 64}) {
    const Outcome split = run(input, piece, limits);
    EXPECT_EQ(split.requests.size(), whole.requests.size()) << "piece " << piece;
    EXPECT_TRUE(split.requests == whole.requests) << "piece " << piece;
    EXPECT_EQ(split.state, whole.state) << "piece " << piece;
    EXPECT_EQ(split.status, whole.status) << "piece " << piece;
    EXPECT_EQ(split.reason, whole.reason) << "piece " << piece;
    EXPECT_EQ(split.consumed, whole.consumed) << "piece " << piece;
    EXPECT_EQ(split.continues, whole.continues) << "piece " << piece;
  }
  return whole;
}

HttpRequest parse_one(std::string_view input, HttpLimits limits = {}) {
  Outcome out = run_all_ways(input, limits);
  EXPECT_EQ(out.state, ParseState::need_more) << out.reason;
  EXPECT_EQ(out.requests.size(), 1u);
  return out.requests.empty() ? HttpRequest{} : out.requests.front();
}

int error_of(std::string_view input, HttpLimits limits = {}) {
  const Outcome out = run_all_ways(input, limits);
  EXPECT_EQ(out.state, ParseState::error) << input;
  return out.status;
}

TEST(HttpRequestParser, SimpleGet) {
  const HttpRequest r = parse_one(
      "GET /message?sessionId=x&a=b HTTP/1.1\r\nHost:  localhost:3000 \r\n"
      "Accept: text/event-stream\r\nX-Empty:\r\nACCEPT: second\r\n\r\n");
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/message?sessionId=x&a=b");
  EXPECT_EQ(r.path, "/message");
  EXPECT_EQ(r.query, "sessionId=x&a=b");
  EXPECT_EQ(r.version_minor, 1);
  ASSERT_EQ(r.headers.size(), 4u);
  EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>("host", "localhost:3000")));
  ASSERT_NE(r.header("accept"), nullptr);
  EXPECT_EQ(*r.header("accept"), "text/event-stream");  // the first of two
  EXPECT_EQ(r.headers[3].first, "accept");
  ASSERT_NE(r.header("x-empty"), nullptr);
  EXPECT_EQ(*r.header("x-empty"), "");
  EXPECT_EQ(r.header("content-type"), nullptr);
  EXPECT_EQ(r.body, "");
  EXPECT_TRUE(r.keep_alive);
}

TEST(HttpRequestParser, PathWithoutQueryAndSecondQuestionMark) {
  EXPECT_EQ(parse_one("GET /mcp HTTP/1.1\r\nHost: h\r\n\r\n").query, "");
  const HttpRequest r = parse_one("GET /a?b?c HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(r.path, "/a");
  EXPECT_EQ(r.query, "b?c");
  const HttpRequest empty = parse_one("GET /a? HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(empty.path, "/a");
  EXPECT_EQ(empty.query, "");
}

TEST(HttpRequestParser, ContentLengthBody) {
  const HttpRequest r = parse_one(
      "POST /mcp HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
      "Content-Length: 17\r\n\r\n{\"jsonrpc\":\"2.0\"}");
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.body, "{\"jsonrpc\":\"2.0\"}");
}

TEST(HttpRequestParser, NoBodyWithoutFraming) {
  // Without Content-Length or Transfer-Encoding the request ends at the head;
  // what follows is the next request.
  const Outcome out =
      run_all_ways("POST /mcp HTTP/1.1\r\nHost: h\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n");
  ASSERT_EQ(out.requests.size(), 2u);
  EXPECT_EQ(out.requests[0].body, "");
  EXPECT_EQ(out.requests[1].method, "GET");
  EXPECT_EQ(parse_one("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n").body, "");
}

TEST(HttpRequestParser, BareLineFeeds) {
  const HttpRequest r = parse_one("POST /mcp HTTP/1.1\nHost: h\r\nContent-Length: 2\n\nok");
  EXPECT_EQ(*r.header("host"), "h");
  EXPECT_EQ(r.body, "ok");
}

TEST(HttpRequestParser, LeadingEmptyLinesAreSkipped) {
  const HttpRequest r = parse_one("\r\n\nGET / HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(r.method, "GET");
}

TEST(HttpRequestParser, Pipelining) {
  const std::string first = "POST /mcp HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc";
  const std::string second = "GET /sse HTTP/1.1\r\nHost: h\r\n\r\n";
  const std::string third =
      "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
      "2\r\nhi\r\n0\r\n\r\n";
  const std::string all = first + second + third + "GET /partial";
  HttpRequestParser parser;
  EXPECT_EQ(parser.feed(all), first.size());
  EXPECT_EQ(parser.state(), ParseState::complete);
  EXPECT_EQ(parser.feed(all), 0u) << "nothing more until take()";
  EXPECT_EQ(parser.take().body, "abc");
  EXPECT_EQ(parser.state(), ParseState::need_more);
  std::string_view rest = std::string_view(all).substr(first.size());
  EXPECT_EQ(parser.feed(rest), second.size());
  EXPECT_EQ(parser.take().path, "/sse");
  rest.remove_prefix(second.size());
  EXPECT_EQ(parser.feed(rest), third.size());
  EXPECT_EQ(parser.take().body, "hi");
  rest.remove_prefix(third.size());
  EXPECT_EQ(parser.feed(rest), rest.size());
  EXPECT_EQ(parser.state(), ParseState::need_more);

  const Outcome out = run_all_ways(all);
  ASSERT_EQ(out.requests.size(), 3u);
  EXPECT_EQ(out.consumed, all.size());
}

TEST(HttpRequestParser, ExpectContinue) {
  const std::string head =
      "POST /mcp HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 4\r\n\r\n";
  HttpRequestParser parser;
  // It stops after the head, so the server can answer before the body comes.
  EXPECT_EQ(parser.feed(head + "body"), head.size());
  EXPECT_EQ(parser.state(), ParseState::expect_continue);
  parser.continue_sent();
  EXPECT_EQ(parser.state(), ParseState::need_more);
  parser.continue_sent();  // harmless when not expected
  EXPECT_EQ(parser.feed("bo"), 2u);
  EXPECT_EQ(parser.state(), ParseState::need_more);
  EXPECT_EQ(parser.feed("dy"), 2u);
  ASSERT_EQ(parser.state(), ParseState::complete);
  EXPECT_EQ(parser.take().body, "body");

  const Outcome out = run_all_ways(head + "body" + head + "next");
  EXPECT_EQ(out.continues, 2);
  ASSERT_EQ(out.requests.size(), 2u);
  EXPECT_EQ(out.requests[1].body, "next");
}

TEST(HttpRequestParser, ExpectContinueWithoutWaiting) {
  // A client that sends the body anyway: feeding on without continue_sent().
  HttpRequestParser parser;
  parser.feed("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  EXPECT_EQ(parser.state(), ParseState::expect_continue);
  EXPECT_EQ(parser.feed("ok"), 2u);
  EXPECT_EQ(parser.state(), ParseState::complete);
}

TEST(HttpRequestParser, ExpectContinueOnlyWhenABodyIsToCome) {
  EXPECT_EQ(run_all_ways("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n").continues,
            0);
  EXPECT_EQ(run_all_ways("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                         "Content-Length: 0\r\n\r\n")
                .continues,
            0);
  // HTTP/1.0 clients do not know 100 Continue.
  EXPECT_EQ(run_all_ways("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx")
                .continues,
            0);
  // Chunked bodies are a body to come.
  EXPECT_EQ(run_all_ways("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                         "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                .continues,
            1);
  // A body too large is refused before the server would ask for it.
  HttpLimits small;
  small.max_body_bytes = 3;
  EXPECT_EQ(error_of("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                     "Content-Length: 4\r\n\r\n",
                     small),
            413);
}

TEST(HttpRequestParser, KeepAlive) {
  EXPECT_TRUE(parse_one("GET / HTTP/1.1\r\nHost: h\r\n\r\n").keep_alive);
  EXPECT_FALSE(parse_one("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").keep_alive);
  EXPECT_FALSE(
      parse_one("GET / HTTP/1.1\r\nHost: h\r\nConnection: Keep-Alive , CLOSE\r\n\r\n").keep_alive);
  EXPECT_FALSE(parse_one("GET / HTTP/1.1\r\nHost: h\r\nConnection: x\r\nConnection: close\r\n\r\n")
                   .keep_alive);
  EXPECT_TRUE(parse_one("GET / HTTP/1.1\r\nHost: h\r\nConnection: closed\r\n\r\n").keep_alive);
  const HttpRequest old = parse_one("GET / HTTP/1.0\r\n\r\n");
  EXPECT_EQ(old.version_minor, 0);
  EXPECT_FALSE(old.keep_alive);
  EXPECT_TRUE(parse_one("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keep_alive);
}

TEST(HttpRequestParser, RequestLineErrors) {
  EXPECT_EQ(error_of("GET\r\n\r\n"), 400);
  EXPECT_EQ(error_of("GET /\r\n\r\n"), 400);
  EXPECT_EQ(error_of("GET  / HTTP/1.1\r\n\r\n"), 400);   // two spaces
  EXPECT_EQ(error_of("GET / HTTP/1.1 \r\n\r\n"), 400);   // trailing space
  EXPECT_EQ(error_of("GET / x HTTP/1.1\r\n\r\n"), 400);  // space in the target
  EXPECT_EQ(error_of(" GET / HTTP/1.1\r\n\r\n"), 400);
  EXPECT_EQ(error_of("G(T / HTTP/1.1\r\n\r\n"), 400);  // method not a token
  EXPECT_EQ(error_of("GET\t/ HTTP/1.1\r\n\r\n"), 400);
  EXPECT_EQ(error_of("GET * HTTP/1.1\r\n\r\n"), 400);  // origin-form only
  EXPECT_EQ(error_of("GET http://h/ HTTP/1.1\r\n\r\n"), 400);
  EXPECT_EQ(error_of("GET /a#frag HTTP/1.1\r\n\r\n"), 400);
  EXPECT_EQ(error_of("GET /a\x01 HTTP/1.1\r\n\r\n"), 400);
  EXPECT_EQ(error_of("GET /\xc3\xa9 HTTP/1.1\r\n\r\n"), 400);
  EXPECT_EQ(error_of("GET / HTTP/1.1\rX\r\n\r\n"), 400);  // a bare CR
  EXPECT_EQ(error_of("GET / http/1.1\r\n\r\n"), 400);
  EXPECT_EQ(error_of("GET / HTTP/1\r\n\r\n"), 400);
  EXPECT_EQ(error_of("GET / HTTP/1.10\r\n\r\n"), 400);
  EXPECT_EQ(error_of("GET / HTTP/1.x\r\n\r\n"), 400);
  EXPECT_EQ(error_of("GET / HTTP/2.0\r\n\r\n"), 505);
  EXPECT_EQ(error_of("GET / HTTP/1.2\r\n\r\n"), 505);
  EXPECT_EQ(error_of("GET / HTTP/0.9\r\n\r\n"), 505);
}

TEST(HttpRequestParser, HeaderErrors) {
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n"), 400);
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\nHost: h\r\n\tfolded\r\n\r\n"), 400);
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\n Host: h\r\n\r\n"), 400);
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\nHost : h\r\n\r\n"), 400);
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\nHost\t: h\r\n\r\n"), 400);
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\nHost h\r\n\r\n"), 400);
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\n: h\r\n\r\n"), 400);
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\nHo(st: h\r\n\r\n"), 400);
  EXPECT_EQ(error_of(std::string("GET / HTTP/1.1\r\nHost: a\0b\r\n\r\n", 29)), 400);
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n"), 400);
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\nHost: a\x7f\r\n\r\n"), 400);
  // obs-text and tabs are allowed in values.
  EXPECT_EQ(*parse_one("GET / HTTP/1.1\r\nHost: h\r\nX: a\tb \xc3\xa9\r\n\r\n").header("x"),
            "a\tb \xc3\xa9");
}

TEST(HttpRequestParser, HostRequiredOnceInHttp11) {
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\n\r\n"), 400);
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
  EXPECT_EQ(error_of("GET / HTTP/1.0\r\nHost: a\r\nHOST: a\r\n\r\n"), 400);
}

TEST(HttpRequestParser, ContentLengthRules) {
  const std::string head = "POST / HTTP/1.1\r\nHost: h\r\n";
  for (const char* bad : {"", "+5", "-1", "5 5", "0x5", "5,5", "5;", "1e3", "\xd9\xa5"})
    EXPECT_EQ(error_of(head + "Content-Length: " + bad + "\r\n\r\n12345"), 400) << bad;
  EXPECT_EQ(parse_one(head + "Content-Length: 5\r\nContent-Length: 005\r\n\r\n12345").body,
            "12345");
  EXPECT_EQ(error_of(head + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n123456"), 400);
  EXPECT_EQ(error_of(head + "Content-Length: 99999999999999999999999999\r\n\r\n"), 413);
  EXPECT_EQ(error_of(head + "Content-Length: 18446744073709551616\r\n\r\n"), 413);
}

TEST(HttpRequestParser, TransferEncodingRules) {
  const std::string head = "POST / HTTP/1.1\r\nHost: h\r\n";
  EXPECT_EQ(parse_one(head + "Transfer-Encoding: CHUNKED \r\n\r\n1\r\nx\r\n0\r\n\r\n").body, "x");
  EXPECT_EQ(error_of(head + "Transfer-Encoding: gzip\r\n\r\n"), 501);
  EXPECT_EQ(error_of(head + "Transfer-Encoding: gzip, chunked\r\n\r\n"), 501);
  EXPECT_EQ(error_of(head + "Transfer-Encoding: chunked, chunked\r\n\r\n"), 501);
  EXPECT_EQ(error_of(head + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"),
            501);
  EXPECT_EQ(error_of(head + "Transfer-Encoding:\r\n\r\n"), 501);
  EXPECT_EQ(error_of(head + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"), 400);
  EXPECT_EQ(error_of(head + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"), 400);
  EXPECT_EQ(error_of("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 400);
}

TEST(HttpRequestParser, Chunked) {
  const std::string head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
  EXPECT_EQ(parse_one(head + "5\r\nhello\r\n1;ext=\"v\"\r\n \r\n000\r\n\r\n").body, "hello ");
  EXPECT_EQ(parse_one(head + "A\r\n0123456789\r\nb ; x ;y=z\r\nabcdefghijk\r\n0\r\n\r\n").body,
            "0123456789abcdefghijk");
  EXPECT_EQ(parse_one(head + "0\r\n\r\n").body, "");
  EXPECT_EQ(parse_one(head + "2\nab\n0\n\n").body, "ab");  // bare LF
  // Trailers are read and dropped.
  const HttpRequest r = parse_one(head + "2\r\nab\r\n0\r\nX-Sum: 1\r\nY: 2\r\n\r\n");
  EXPECT_EQ(r.body, "ab");
  EXPECT_EQ(r.header("x-sum"), nullptr);
  // A chunk of CRLFs is data, not framing.
  EXPECT_EQ(parse_one(head + "4\r\n\r\n\r\n\r\n0\r\n\r\n").body, "\r\n\r\n");
}

TEST(HttpRequestParser, ChunkedErrors) {
  const std::string head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
  EXPECT_EQ(error_of(head + "\r\n"), 400);     // no size
  EXPECT_EQ(error_of(head + ";x\r\n"), 400);   // no size
  EXPECT_EQ(error_of(head + "g\r\n"), 400);    // not hex
  EXPECT_EQ(error_of(head + "0x5\r\n"), 400);  // no 0x
  EXPECT_EQ(error_of(head + "-1\r\n"), 400);
  EXPECT_EQ(error_of(head + "5 \r\nhello\r\n"), 400);  // whitespace without an extension
  EXPECT_EQ(error_of(head + "5;a\x01\r\nhello\r\n"), 400);
  EXPECT_EQ(error_of(head + "3\r\nabcd\r\n0\r\n\r\n"), 400);  // longer than its size
  EXPECT_EQ(error_of(head + "3\r\nabc\r\r\n0\r\n\r\n"), 400);
  EXPECT_EQ(error_of(head + "3\r\nabcxyz"), 400);
  EXPECT_EQ(error_of(head + "0\r\n folded\r\n\r\n"), 400);
  EXPECT_EQ(error_of(head + "0\r\nno colon\r\n\r\n"), 400);
  // Sizes that would wrap a 64-bit counter are over the limit, not small.
  EXPECT_EQ(error_of(head + "10000000000000001\r\nx\r\n"), 413);
  EXPECT_EQ(error_of(head + "ffffffffffffffffffffffffffffffff\r\n"), 413);
  // Long runs of leading zeros are only a long line.
  EXPECT_EQ(parse_one(head + std::string(1000, '0') + "1\r\nx\r\n0\r\n\r\n").body, "x");
  HttpLimits small;
  small.max_header_bytes = 200;
  EXPECT_EQ(error_of(head + std::string(201, '0') + "\r\n", small), 400);
}

TEST(HttpRequestParser, HeaderBytesLimit) {
  // Exactly max_header_bytes, counting every line end and the final CRLF.
  const std::string start = "GET / HTTP/1.1\r\nHost: h\r\nX: ";
  HttpLimits limits;
  limits.max_header_bytes = 100;
  const std::string fits = start + std::string(100 - start.size() - 4, 'a') + "\r\n\r\n";
  ASSERT_EQ(fits.size(), 100u);
  parse_one(fits, limits);
  const std::string over = start + std::string(100 - start.size() - 3, 'a') + "\r\n\r\n";
  EXPECT_EQ(error_of(over, limits), 431);
  // With bare LFs the same number of bytes fits.
  parse_one(start + std::string(100 - start.size() - 2, 'a') + "\n\n", limits);
  // An endless header line is refused without waiting for its end.
  EXPECT_EQ(error_of(start + std::string(1000, 'a'), limits), 431);
  // Leading empty lines count too.
  EXPECT_EQ(error_of("\r\n" + fits, limits), 431);
  EXPECT_EQ(error_of(std::string(1000, '\n'), limits), 431);
}

TEST(HttpRequestParser, RequestLineLimit) {
  HttpLimits limits;
  limits.max_header_bytes = 64;
  const std::string line = "GET /" + std::string(64 - 16, 'a') + " HTTP/1.1\r\n";
  ASSERT_EQ(line.size(), 64u);
  // The request line fits alone, but then the head has no room left.
  EXPECT_EQ(run_all_ways(line + "\r\n", limits).reason, "request header section too large");
  const std::string longer = "GET /" + std::string(64 - 15, 'a') + " HTTP/1.1\r\n";
  EXPECT_EQ(error_of(longer + "\r\n", limits), 431);
  EXPECT_EQ(run_all_ways(longer + "\r\n", limits).reason, "request line too long");
  EXPECT_EQ(error_of("GET /" + std::string(10000, 'a'), limits), 431);
}

TEST(HttpRequestParser, HeaderCountLimit) {
  HttpLimits limits;
  limits.max_headers = 3;
  parse_one("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n", limits);
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits), 431);
  // Trailers count against the same limits.
  const std::string chunked =
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n";
  parse_one(chunked + "T: 1\r\n\r\n", limits);
  EXPECT_EQ(error_of(chunked + "T: 1\r\nU: 2\r\n\r\n", limits), 431);
  limits.max_headers = 64;
  // The head, then "T: 1234\r\n" and the final "\r\n"; the "0\r\n" is body framing.
  limits.max_header_bytes = (chunked.size() - 3) + 9 + 2;
  parse_one(chunked + "T: 1234\r\n\r\n", limits);
  EXPECT_EQ(error_of(chunked + "T: 12345\r\n\r\n", limits), 431);
}

TEST(HttpRequestParser, BodyLimitFromContentLength) {
  HttpLimits limits;
  limits.max_body_bytes = 10;
  const std::string head = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: ";
  EXPECT_EQ(parse_one(head + "10\r\n\r\n0123456789", limits).body, "0123456789");
  // Refused as soon as the head is in, before any of the body is read.
  HttpRequestParser parser(limits);
  const std::string over = head + "11\r\n\r\n";
  EXPECT_EQ(parser.feed(over + "01234567890"), over.size());
  EXPECT_EQ(parser.state(), ParseState::error);
  EXPECT_EQ(parser.error_status(), 413);
  limits.max_body_bytes = 0;
  EXPECT_EQ(error_of(head + "1\r\n\r\nx", limits), 413);
  parse_one(head + "0\r\n\r\n", limits);
}

TEST(HttpRequestParser, BodyLimitWhileDechunking) {
  HttpLimits limits;
  limits.max_body_bytes = 10;
  const std::string head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
  EXPECT_EQ(parse_one(head + "6\r\n012345\r\n4\r\n6789\r\n0\r\n\r\n", limits).body, "0123456789");
  EXPECT_EQ(error_of(head + "6\r\n012345\r\n5\r\n", limits), 413);
  EXPECT_EQ(error_of(head + "b\r\n", limits), 413);
}

TEST(HttpRequestParser, ErrorIsSticky) {
  HttpRequestParser parser;
  EXPECT_EQ(parser.feed("BAD\r\n"), 5u);
  EXPECT_EQ(parser.state(), ParseState::error);
  EXPECT_EQ(parser.error_status(), 400);
  EXPECT_FALSE(parser.error_reason().empty());
  EXPECT_EQ(parser.feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n"), 0u);
  EXPECT_EQ(parser.take().method, "");
  parser.continue_sent();
  EXPECT_EQ(parser.state(), ParseState::error);
  EXPECT_EQ(parser.error_status(), 400);
}

TEST(HttpRequestParser, StatusIsZeroWithoutError) {
  HttpRequestParser parser;
  EXPECT_EQ(parser.error_status(), 0);
  EXPECT_EQ(parser.take().method, "");  // nothing to take yet
  EXPECT_EQ(parser.feed(""), 0u);
  EXPECT_EQ(parser.state(), ParseState::need_more);
}

TEST(HttpRequestParser, ByteAtATimeScansEachByteOnce) {
  HttpLimits limits;
  limits.max_header_bytes = 1 << 20;
  const std::string input = "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + std::string(500000, 'v') +
                            "\r\nContent-Length: 3\r\n\r\nabc";
  HttpRequestParser parser(limits);
  for (char c : input) ASSERT_EQ(parser.feed(std::string_view(&c, 1)), 1u);
  ASSERT_EQ(parser.state(), ParseState::complete);
  // The body is copied, not scanned; everything before it is scanned once.
  EXPECT_EQ(parser.bytes_scanned(), input.size() - 3);
  EXPECT_EQ(parser.take().header("x-big")->size(), 500000u);
}

TEST(QueryParam, Decoding) {
  EXPECT_EQ(query_param("sessionId=abc", "sessionId"), "abc");
  EXPECT_EQ(query_param("a=1&sessionId=x%2Fy&b=2", "sessionId"), "x/y");
  EXPECT_EQ(query_param("q=a+b%20c", "q"), "a b c");
  EXPECT_EQ(query_param("q=%2f%2F", "q"), "//");
  EXPECT_EQ(query_param("q=%00", "q"), std::string(1, '\0'));
  EXPECT_EQ(query_param("q=1&q=2", "q"), "1");                // the first
  EXPECT_EQ(query_param("session%49d=v", "sessionId"), "v");  // names are decoded too
  EXPECT_EQ(query_param("a=b=c", "a"), "b=c");
}

TEST(QueryParam, MissingAndEmpty) {
  EXPECT_EQ(query_param("", "q"), std::nullopt);
  EXPECT_EQ(query_param("a=1&b=2", "q"), std::nullopt);
  EXPECT_EQ(query_param("qq=1&Q=2", "q"), std::nullopt);  // exact, case-sensitive
  EXPECT_EQ(query_param("q=", "q"), "");
  EXPECT_EQ(query_param("a=1&q", "q"), "");
  EXPECT_EQ(query_param("&&q=1&", "q"), "1");
  EXPECT_EQ(query_param("=1", ""), "1");
}

TEST(QueryParam, MalformedEscapes) {
  EXPECT_EQ(query_param("q=%zz", "q"), std::nullopt);
  EXPECT_EQ(query_param("q=%2", "q"), std::nullopt);
  EXPECT_EQ(query_param("q=abc%", "q"), std::nullopt);
  EXPECT_EQ(query_param("q=%g1", "q"), std::nullopt);
  // A malformed neighbour does not hide a good parameter.
  EXPECT_EQ(query_param("x%zz=1&q=ok&y=%", "q"), "ok");
}

}  // namespace
}  // namespace ccmcp::bridge
