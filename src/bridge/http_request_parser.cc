#include "bridge/http_request_parser.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace ccmcp::bridge {
namespace {

// Reserving the whole announced body up front would let a client that never
// sends it pin max_body_bytes of memory per connection; grow past this instead.
constexpr size_t kMaxBodyReserve = 64 * 1024;

constexpr bool is_tchar(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return is_tchar(c); });
}

// Field values and chunk extensions: visible characters, obs-text, SP and HTAB.
// Any other control byte (CR, NUL, ...) is how smuggling payloads hide.
bool is_field_text(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c == '\t' || (c >= 0x20 && c != 0x7f);
  });
}

bool is_ows(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == y; });
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Calls f(token) for each element of a comma-separated list, trimmed.
template <class F>
void for_each_list_item(std::string_view list, F&& f) {
  while (true) {
    const size_t comma = list.find(',');
    f(trim_ows(list.substr(0, comma)));
    if (comma == std::string_view::npos) return;
    list.remove_prefix(comma + 1);
  }
}

bool percent_decode(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out.push_back(' ');
    } else if (in[i] == '%') {
      if (in.size() - i < 3) return false;
      const int hi = hex_value(in[i + 1]);
      const int lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return true;
}

}  // namespace

const std::string* HttpRequest::header(std::string_view lowercase_name) const {
  for (const auto& [name, value] : headers)
    if (name == lowercase_name) return &value;
  return nullptr;
}

HttpRequestParser::HttpRequestParser(HttpLimits limits) : limits_(limits) {}

void HttpRequestParser::reset() {
  request_ = HttpRequest{};
  state_ = ParseState::need_more;
  phase_ = Phase::request_line;
  partial_line_.clear();
  head_bytes_ = 0;
  fields_ = 0;
  remaining_ = 0;
}

void HttpRequestParser::fail(int status, std::string reason) {
  state_ = ParseState::error;
  error_status_ = status;
  error_reason_ = std::move(reason);
  partial_line_.clear();
}

void HttpRequestParser::continue_sent() {
  if (state_ == ParseState::expect_continue) state_ = ParseState::need_more;
}

HttpRequest HttpRequestParser::take() {
  if (state_ != ParseState::complete) return {};
  HttpRequest done = std::move(request_);
  reset();
  return done;
}

size_t HttpRequestParser::feed(std::string_view data) {
  // A client may send the body without waiting for 100 Continue.
  if (state_ == ParseState::expect_continue) state_ = ParseState::need_more;
  size_t used = 0;
  while (used < data.size() && state_ == ParseState::need_more) {
    if (phase_ == Phase::body || phase_ == Phase::chunk_data) {
      const size_t n = std::min(remaining_, data.size() - used);
      request_.body.append(data.data() + used, n);
      used += n;
      remaining_ -= n;
      if (remaining_ == 0) {
        if (phase_ == Phase::body) {
          phase_ = Phase::done;
          state_ = ParseState::complete;
        } else {
          phase_ = Phase::chunk_data_end;
        }
      }
    } else {
      used += feed_line(data.substr(used));
    }
  }
  return used;
}

// How long the current line may be, line end included. Checking it before
// looking inside the line makes the outcome independent of how the input was
// split: a line is judged the same whether it came whole or a byte at a time.
size_t HttpRequestParser::line_budget() const {
  switch (phase_) {
    case Phase::request_line:
    case Phase::headers:
    case Phase::trailers:
      return limits_.max_header_bytes - head_bytes_;
    case Phase::chunk_size:
      return limits_.max_header_bytes;
    case Phase::chunk_data_end:
      return 2;  // "\r\n"; anything longer is already wrong
    default:
      return 0;
  }
}

void HttpRequestParser::fail_line_too_long() {
  switch (phase_) {
    case Phase::request_line:
      // 431 rather than 414 even for a long target: the head is one budget.
      if (head_bytes_ == 0) return fail(431, "request line too long");
      return fail(431, "request header section too large");
    case Phase::headers:
      return fail(431, "request header section too large");
    case Phase::trailers:
      return fail(431, "chunked trailer section too large");
    case Phase::chunk_size:
      return fail(400, "chunk size line too long");
    default:
      return fail(400, "expected CRLF after chunk data");
  }
}

// Takes bytes up to and including the next '\n'. Only the new bytes are
// searched; a line split across feeds is carried in partial_line_.
size_t HttpRequestParser::feed_line(std::string_view data) {
  // Look no further than one byte past the budget: enough to know the line is
  // too long, and an error then consumes the same bytes however input was split.
  const size_t room = line_budget() - partial_line_.size();
  const size_t window = data.size() > room ? room + 1 : data.size();
  const auto* nl = static_cast<const char*>(std::memchr(data.data(), '\n', window));
  const size_t take = nl ? static_cast<size_t>(nl - data.data()) + 1 : window;
  bytes_scanned_ += take;
  if (take > room) {
    fail_line_too_long();
    return take;
  }
  if (!nl) {
    partial_line_.append(data.substr(0, take));
    return take;
  }
  std::string_view line = data.substr(0, take - 1);
  if (!partial_line_.empty()) {
    partial_line_.append(line);
    line = partial_line_;
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  on_line(line, partial_line_.empty() ? take : partial_line_.size() + 1);
  partial_line_.clear();
  return take;
}

void HttpRequestParser::on_line(std::string_view line, size_t raw_bytes) {
  switch (phase_) {
    case Phase::request_line:
      head_bytes_ += raw_bytes;
      // Empty lines before a request are allowed (RFC 9112 2.2): some clients
      // send a stray CRLF after a body. They still count against the budget.
      if (!line.empty()) on_request_line(line);
      return;
    case Phase::headers:
      head_bytes_ += raw_bytes;
      if (line.empty()) return on_head_end();
      return on_field_line(line, false);
    case Phase::trailers:
      head_bytes_ += raw_bytes;
      if (line.empty()) {
        phase_ = Phase::done;
        state_ = ParseState::complete;
        return;
      }
      return on_field_line(line, true);
    case Phase::chunk_size:
      return on_chunk_size_line(line);
    case Phase::chunk_data_end:
      if (!line.empty()) return fail(400, "expected CRLF after chunk data");
      phase_ = Phase::chunk_size;
      return;
    default:
      return;
  }
}

void HttpRequestParser::on_request_line(std::string_view line) {
  const size_t sp1 = line.find(' ');
  const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return fail(400, "malformed request line");
  const std::string_view method = line.substr(0, sp1);
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (!is_token(method)) return fail(400, "malformed request method");
  if (target.empty() || target.front() != '/')
    return fail(400, "request target must start with '/'");
  // Visible ASCII only; '#' never belongs in a request (fragments stay in the client).
  for (char ch : target) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f || c == '#') return fail(400, "invalid character in request target");
  }
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[5] < '0' ||
      version[5] > '9' || version[6] != '.' || version[7] < '0' || version[7] > '9')
    return fail(400, "malformed http version");
  if (version[5] != '1' || version[7] > '1')
    return fail(505, "only HTTP/1.0 and HTTP/1.1 are supported");

  request_.method.assign(method);
  request_.target.assign(target);
  const size_t q = target.find('?');
  request_.path.assign(target.substr(0, q));
  if (q != std::string_view::npos) request_.query.assign(target.substr(q + 1));
  request_.version_minor = version[7] - '0';
  phase_ = Phase::headers;
}

void HttpRequestParser::on_field_line(std::string_view line, bool trailer) {
  // A continuation line could hide a header from a proxy that folds
  // differently (RFC 9112 5.2 lets a server reject it).
  if (is_ows(line.front())) return fail(400, "obsolete line folding is not allowed");
  if (++fields_ > limits_.max_headers)
    return fail(431, trailer ? "too many trailer fields" : "too many header fields");
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return fail(400, "header line without ':'");
  const std::string_view name = line.substr(0, colon);
  if (!name.empty() && is_ows(name.back())) return fail(400, "whitespace before ':' in header");
  if (!is_token(name)) return fail(400, "malformed header name");
  const std::string_view value = trim_ows(line.substr(colon + 1));
  if (!is_field_text(value)) return fail(400, "invalid character in header value");
  if (trailer) return;  // checked for framing, then dropped: nothing downstream uses them

  std::string lowered(name);
  for (char& c : lowered) c = lower(c);
  request_.headers.emplace_back(std::move(lowered), std::string(value));
}

void HttpRequestParser::on_head_end() {
  size_t hosts = 0;
  size_t transfer_encodings = 0;
  bool has_content_length = false;
  std::string_view content_length;  // without leading zeros
  std::string transfer_encoding;
  bool close = false;
  bool keep_alive_token = false;
  bool expect_continue = false;
  for (const auto& [name, value] : request_.headers) {
    if (name == "host") {
      ++hosts;
    } else if (name == "content-length") {
      if (value.empty() ||
          !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return fail(400, "malformed content-length");
      std::string_view digits = value;
      while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
      if (has_content_length && digits != content_length)
        return fail(400, "conflicting content-length headers");
      has_content_length = true;
      content_length = digits;
    } else if (name == "transfer-encoding") {
      if (transfer_encodings++ > 0) transfer_encoding += ", ";
      transfer_encoding += value;
    } else if (name == "connection") {
      for_each_list_item(value, [&](std::string_view token) {
        if (iequals(token, "close")) close = true;
        if (iequals(token, "keep-alive")) keep_alive_token = true;
      });
    } else if (name == "expect") {
      expect_continue = expect_continue || iequals(value, "100-continue");
    }
  }
  const bool http11 = request_.version_minor == 1;
  if (http11 && hosts == 0) return fail(400, "missing host header");
  if (hosts > 1) return fail(400, "more than one host header");
  request_.keep_alive = !close && (http11 || keep_alive_token);

  size_t body_bytes = 0;
  const bool chunked = transfer_encodings > 0;
  if (chunked) {
    // Two framings for one body is the classic request smuggling setup.
    if (has_content_length) return fail(400, "both content-length and transfer-encoding");
    // RFC 9112 6.1: framing of an HTTP/1.0 message with it is faulty.
    if (!http11) return fail(400, "transfer-encoding in an HTTP/1.0 request");
    if (!iequals(transfer_encoding, "chunked")) return fail(501, "unsupported transfer-encoding");
  } else if (has_content_length) {
    constexpr size_t kMaxDigits = std::numeric_limits<size_t>::digits10;
    if (content_length.size() > kMaxDigits) return fail(413, "request body too large");
    for (char c : content_length) body_bytes = body_bytes * 10 + static_cast<size_t>(c - '0');
    if (body_bytes > limits_.max_body_bytes) return fail(413, "request body too large");
  }

  if (chunked) {
    phase_ = Phase::chunk_size;
  } else if (body_bytes > 0) {
    phase_ = Phase::body;
    remaining_ = body_bytes;
    request_.body.reserve(std::min(body_bytes, kMaxBodyReserve));
  } else {
    phase_ = Phase::done;
    state_ = ParseState::complete;
    return;
  }
  // RFC 9110 10.1.1: an HTTP/1.0 client cannot understand 100 Continue.
  if (expect_continue && http11) state_ = ParseState::expect_continue;
}

void HttpRequestParser::on_chunk_size_line(std::string_view line) {
  const size_t budget = limits_.max_body_bytes - request_.body.size();
  size_t size = 0;
  size_t i = 0;
  for (; i < line.size(); ++i) {
    const int digit = hex_value(line[i]);
    if (digit < 0) break;
    // Stop before the multiplication could wrap: past budget / 16 the size
    // is over the budget whatever digits follow.
    if (size > budget / 16) return fail(413, "request body too large");
    size = size * 16 + static_cast<size_t>(digit);
    if (size > budget) return fail(413, "request body too large");
  }
  if (i == 0) return fail(400, "malformed chunk size");
  // Chunk extensions (";name=value", after optional whitespace) are ignored.
  const std::string_view rest = line.substr(i);
  const size_t semicolon = rest.find_first_not_of(" \t");
  if (!rest.empty() && (semicolon == std::string_view::npos || rest[semicolon] != ';'))
    return fail(400, "malformed chunk size");
  if (!is_field_text(rest)) return fail(400, "invalid character in chunk extension");
  if (size == 0) {
    phase_ = Phase::trailers;
  } else {
    phase_ = Phase::chunk_data;
    remaining_ = size;
  }
}

std::optional<std::string> query_param(std::string_view query, std::string_view name) {
  std::string decoded_name;
  std::string value;
  while (true) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    if (percent_decode(pair.substr(0, eq), decoded_name) && decoded_name == name) {
      if (eq == std::string_view::npos) return std::string();
      if (!percent_decode(pair.substr(eq + 1), value)) return std::nullopt;
      return value;
    }
    if (amp == std::string_view::npos) return std::nullopt;
    query.remove_prefix(amp + 1);
  }
}

}  // namespace ccmcp::bridge
