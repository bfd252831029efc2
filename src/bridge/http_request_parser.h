// An incremental HTTP/1.1 request parser for cc-mcp-bridge.
//
// The bridge reads from sockets in whatever pieces the kernel hands it, so the
// parser takes bytes as they come and never needs the whole request at once.
// It is strict where leniency lets two parsers disagree about where a request
// ends (request smuggling): conflicting or combined Content-Length and
// Transfer-Encoding, obs-fold, whitespace before ':', bare CR. It never throws;
// a bad request puts it in the error state with the status to answer with.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ccmcp::bridge {

struct HttpLimits {
  // Request line, header lines, their line ends and the empty line; chunked
  // trailers count against the same budget.
  size_t max_header_bytes = 16 * 1024;
  size_t max_headers = 64;  // header fields plus trailer fields
  size_t max_body_bytes = 4 << 20;
};

struct HttpRequest {
  std::string method;
  std::string target;     // as sent, e.g. "/message?sessionId=x"
  std::string path;       // target before the first '?': "/message"
  std::string query;      // target after the first '?': "sessionId=x"
  int version_minor = 1;  // HTTP/1.0 or HTTP/1.1 only
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased, values trimmed
  std::string body;                                          // de-chunked
  bool keep_alive = true;  // from the version and the Connection header

  // The value of the first header named `lowercase_name`, or nullptr.
  const std::string* header(std::string_view lowercase_name) const;

  friend bool operator==(const HttpRequest&, const HttpRequest&) = default;
};

enum class ParseState { need_more, expect_continue, complete, error };

class HttpRequestParser {
 public:
  explicit HttpRequestParser(HttpLimits limits = {});

  // Consumes bytes and returns how many it used. It stops at the end of one
  // request (and after the head of a request that expects 100-continue), so
  // the caller feeds the rest again once it has looked at state(). In
  // need_more it always uses all of `data`; in complete and error, none.
  size_t feed(std::string_view data);

  ParseState state() const { return state_; }

  // In expect_continue the head is complete, the request had
  // "Expect: 100-continue" and a body is still to come: the server writes
  // "HTTP/1.1 100 Continue\r\n\r\n" once, calls continue_sent(), and feeds on.
  // Feeding without calling it is allowed too (the client did not wait).
  void continue_sent();

  // The request, once state() is complete; resets the parser for the next
  // request on the connection. In any other state returns an empty request
  // and changes nothing (an error stays an error).
  HttpRequest take();

  // When state() is error: 400, 413 (body over the limit), 431 (head, request
  // line included, too big or too many fields), 501 (a Transfer-Encoding other
  // than chunked), 505 (not HTTP/1.0 or 1.1). Otherwise 0.
  int error_status() const { return error_status_; }
  const std::string& error_reason() const { return error_reason_; }

  // Bytes searched for line ends so far: each input byte at most once, which
  // lets tests prove there is no rescanning when input comes a byte at a time.
  uint64_t bytes_scanned() const { return bytes_scanned_; }

 private:
  enum class Phase : uint8_t {
    request_line,
    headers,
    body,            // Content-Length bytes
    chunk_size,      // the line with a chunk's hex size
    chunk_data,      // a chunk's bytes
    chunk_data_end,  // the CRLF after a chunk's bytes
    trailers,
    done,
  };

  size_t feed_line(std::string_view data);
  size_t line_budget() const;
  void fail_line_too_long();
  void on_line(std::string_view line, size_t raw_bytes);
  void on_request_line(std::string_view line);
  void on_field_line(std::string_view line, bool trailer);
  void on_chunk_size_line(std::string_view line);
  void on_head_end();
  void fail(int status, std::string reason);
  void reset();

  HttpLimits limits_;
  ParseState state_ = ParseState::need_more;
  Phase phase_ = Phase::request_line;
  HttpRequest request_;
  std::string partial_line_;  // an unfinished line carried over between feeds
  size_t head_bytes_ = 0;     // of the request line, header and trailer lines
  size_t fields_ = 0;         // header and trailer fields seen
  size_t remaining_ = 0;      // body or chunk bytes still to come
  uint64_t bytes_scanned_ = 0;
  int error_status_ = 0;
  std::string error_reason_;
};

// The percent-decoded ('+' as space) value of the first query parameter named
// `name`: "" for "name" or "name=", nullopt when absent or when its name or
// value has a malformed escape such as "%zz" (a mangled id must not match).
std::optional<std::string> query_param(std::string_view query, std::string_view name);

}  // namespace ccmcp::bridge
