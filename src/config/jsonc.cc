#include "config/jsonc.h"

#include <cctype>
#include <charconv>
#include <cstdint>

#include "util/error.h"

namespace ccmcp::config {

namespace {

constexpr int kMaxDepth = 200;

bool is_identifier(const std::string& key) {
  if (key.empty() || !(std::isalpha(static_cast<unsigned char>(key[0])) || key[0] == '_'))
    return false;
  for (char c : key)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  return true;
}

struct Failure {
  ParseProblem problem;
};

class Parser {
 public:
  explicit Parser(JsoncDocument& doc) : doc_(doc), text_(doc.text) {}

  void parse_document() {
    if (text_.compare(0, 3, "\xEF\xBB\xBF") == 0) {  // UTF-8 byte order mark
      advance(3);
      pos_.column = 1;  // invisible in editors: what follows is at column 1
    }
    skip_space();
    if (at_end()) fail(pos_, "the file is empty", "start from {\"mcpServers\": {}}");
    NodeSpan span = parse_value({}, doc_.root, 0);
    span.key = span.value;
    doc_.spans[path_key({})] = span;
    skip_space();
    if (!at_end())
      fail(pos_, "unexpected text after the end of the document",
           "remove it, or wrap everything in one object");
  }

 private:
  [[noreturn]] void fail(TextPos at, std::string problem, std::string hint = {}) {
    throw Failure{ParseProblem{at, std::move(problem), std::move(hint)}};
  }

  bool at_end() const { return pos_.offset >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_.offset]; }

  void advance(size_t n = 1) {
    for (size_t i = 0; i < n && !at_end(); ++i) {
      unsigned char c = static_cast<unsigned char>(text_[pos_.offset++]);
      if (c == '\n') {
        ++pos_.line;
        pos_.column = 1;
      } else if ((c & 0xC0) != 0x80) {
        ++pos_.column;  // UTF-8 continuation bytes belong to the character before
      }
    }
  }

  void skip_space() {
    for (;;) {
      char c = peek();
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        advance();
      } else if (c == '/' && pos_.offset + 1 < text_.size() && text_[pos_.offset + 1] == '/') {
        doc_.has_comments = true;
        while (!at_end() && peek() != '\n') advance();
      } else if (c == '/' && pos_.offset + 1 < text_.size() && text_[pos_.offset + 1] == '*') {
        doc_.has_comments = true;
        TextPos start = pos_;
        advance(2);
        for (;;) {
          if (at_end()) fail(start, "unterminated /* comment", "close it with */");
          if (peek() == '*' && pos_.offset + 1 < text_.size() && text_[pos_.offset + 1] == '/') {
            advance(2);
            break;
          }
          advance();
        }
      } else {
        return;
      }
    }
  }

  std::string describe_here() const {
    if (at_end()) return "the end of the file";
    unsigned char c = static_cast<unsigned char>(peek());
    if (c < 0x20 || c >= 0x7f) return "a character that is not JSON";
    return "'" + std::string(1, static_cast<char>(c)) + "'";
  }

  NodeSpan parse_value(const JsonPath& path, Json& out, int depth) {
    if (depth > kMaxDepth) fail(pos_, "nested more than 200 levels deep", "flatten the value");
    NodeSpan span;
    span.value = pos_;
    char c = peek();
    if (c == '{') {
      parse_object(path, out, span, depth);
    } else if (c == '[') {
      parse_array(path, out, span, depth);
    } else if (c == '"') {
      out = parse_string();
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      out = parse_number();
    } else if (text_.compare(pos_.offset, 4, "true") == 0) {
      out = true;
      advance(4);
    } else if (text_.compare(pos_.offset, 5, "false") == 0) {
      out = false;
      advance(5);
    } else if (text_.compare(pos_.offset, 4, "null") == 0) {
      out = nullptr;
      advance(4);
    } else if (c == '\'') {
      fail(pos_, "strings need double quotes, not single quotes", "write \"text\"");
    } else {
      fail(pos_, "expected a value but found " + describe_here(),
           "a value is a string in double quotes, a number, true, false, null, {...} or [...]");
    }
    span.value_end = pos_.offset;
    return span;
  }

  void parse_object(const JsonPath& path, Json& out, NodeSpan& span, int depth) {
    out = Json::object();
    advance();  // {
    std::unordered_map<std::string, int> first_line;
    for (;;) {
      skip_space();
      if (peek() == '}') break;
      if (peek() != '"') {
        if (at_end()) fail(span.value, "this object is never closed", "add the missing '}'");
        fail(pos_, "expected a key in double quotes or '}' but found " + describe_here(),
             std::isalpha(static_cast<unsigned char>(peek())) ? "put the key in double quotes"
                                                              : std::string{});
      }
      TextPos key_pos = pos_;
      std::string key = parse_string();
      skip_space();
      if (peek() != ':') fail(pos_, "expected ':' after the key " + quote(key));
      advance();
      skip_space();
      JsonPath member_path = child(path, key);
      Json value;
      NodeSpan member = parse_value(member_path, value, depth + 1);
      member.key = key_pos;
      member.is_member = true;
      if (auto [it, inserted] = first_line.emplace(key, key_pos.line); !inserted) {
        doc_.soft_problems.push_back(
            {key_pos,
             "duplicate key " + quote(key) + ", first at line " + std::to_string(it->second),
             "keep one of them"});
      }
      out[key] = std::move(value);
      skip_space();
      if (peek() == ',') {
        member.comma_after = pos_.offset;
        doc_.spans[path_key(member_path)] = member;
        advance();
        continue;
      }
      doc_.spans[path_key(member_path)] = member;
      if (peek() == '}') break;
      if (at_end()) fail(span.value, "this object is never closed", "add the missing '}'");
      fail(pos_, "expected ',' or '}' but found " + describe_here(),
           "is a comma missing after the value of " + quote(key) + "?");
    }
    span.close = pos_.offset;
    advance();  // }
  }

  void parse_array(const JsonPath& path, Json& out, NodeSpan& span, int depth) {
    out = Json::array();
    advance();  // [
    for (size_t index = 0;; ++index) {
      skip_space();
      if (peek() == ']') break;
      if (at_end()) fail(span.value, "this array is never closed", "add the missing ']'");
      JsonPath item_path = child(path, index);
      Json value;
      NodeSpan item = parse_value(item_path, value, depth + 1);
      item.key = item.value;
      out.push_back(std::move(value));
      skip_space();
      if (peek() == ',') {
        item.comma_after = pos_.offset;
        doc_.spans[path_key(item_path)] = item;
        advance();
        continue;
      }
      doc_.spans[path_key(item_path)] = item;
      if (peek() == ']') break;
      if (at_end()) fail(span.value, "this array is never closed", "add the missing ']'");
      fail(pos_, "expected ',' or ']' but found " + describe_here(),
           "is a comma missing between two items?");
    }
    span.close = pos_.offset;
    advance();  // ]
  }

  static void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // Four hex digits of a \u escape; problems are reported at `escape`.
  uint32_t parse_hex4(TextPos escape) {
    if (pos_.offset + 4 > text_.size()) fail(escape, "incomplete \\u escape", "write \\uXXXX");
    uint32_t value = 0;
    auto first = text_.data() + pos_.offset;
    auto [ptr, ec] = std::from_chars(first, first + 4, value, 16);
    if (ec != std::errc() || ptr != first + 4)
      fail(escape, "bad \\u escape", "write \\u followed by four hex digits");
    advance(4);
    return value;
  }

  // Length of the valid UTF-8 sequence at `offset`, or 0.
  size_t utf8_length(size_t offset) const {
    auto byte = [&](size_t i) { return static_cast<unsigned char>(text_[offset + i]); };
    unsigned char c = byte(0);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || offset + n > text_.size()) return 0;
    for (size_t i = 1; i < n; ++i)
      if ((byte(i) & 0xC0) != 0x80) return 0;
    if (n == 2 && c < 0xC2) return 0;  // overlong
    unsigned char c1 = byte(n > 1 ? 1 : 0);
    if (n == 3 && c == 0xE0 && c1 < 0xA0) return 0;                   // overlong
    if (n == 3 && c == 0xED && c1 >= 0xA0) return 0;                  // a UTF-16 surrogate
    if (n == 4 && c == 0xF0 && c1 < 0x90) return 0;                   // overlong
    if (n == 4 && (c > 0xF4 || (c == 0xF4 && c1 >= 0x90))) return 0;  // beyond U+10FFFF
    return n;
  }

  std::string parse_string() {
    TextPos start = pos_;
    advance();  // "
    std::string out;
    for (;;) {
      if (at_end() || peek() == '\n')
        fail(start, "unterminated string", "close it with a double quote");
      char c = peek();
      if (c == '"') {
        advance();
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20)
        fail(pos_, "a control character inside a string", "escape it, e.g. \\t or \\n");
      if (c == '\\') {
        TextPos escape = pos_;
        advance();
        char e = peek();
        advance();
        switch (e) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            uint32_t cp = parse_hex4(escape);
            if (cp >= 0xD800 && cp <= 0xDBFF) {
              if (text_.compare(pos_.offset, 2, "\\u") != 0)
                fail(escape, "a lone UTF-16 surrogate in a \\u escape");
              advance(2);
              uint32_t low = parse_hex4(escape);
              if (low < 0xDC00 || low > 0xDFFF) fail(escape, "a bad UTF-16 surrogate pair");
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
              fail(escape, "a lone UTF-16 surrogate in a \\u escape");
            }
            append_utf8(out, cp);
            break;
          }
          default:
            fail(escape, "unknown escape in a string",
                 "valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX; write a backslash "
                 "as \\\\");
        }
        continue;
      }
      size_t n = utf8_length(pos_.offset);
      if (n == 0) fail(pos_, "a string that is not valid UTF-8", "save the file as UTF-8");
      out.append(text_, pos_.offset, n);
      advance(n);
    }
  }

  Json parse_number() {
    TextPos start = pos_;
    size_t begin = pos_.offset;
    auto digits = [&] {
      size_t n = 0;
      while (std::isdigit(static_cast<unsigned char>(peek()))) {
        advance();
        ++n;
      }
      return n;
    };
    bool integral = true;
    if (peek() == '-') advance();
    if (peek() == '0') {
      advance();
      if (std::isdigit(static_cast<unsigned char>(peek())))
        fail(start, "a number with a leading zero", "write it without the zero, or as a string");
    } else if (digits() == 0) {
      fail(start, "a '-' that is not followed by a number");
    }
    if (peek() == '.') {
      integral = false;
      advance();
      if (digits() == 0) fail(pos_, "a number with no digits after the '.'");
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      advance();
      if (peek() == '+' || peek() == '-') advance();
      if (digits() == 0) fail(pos_, "a number with no digits in its exponent");
    }
    const char* first = text_.data() + begin;
    const char* last = text_.data() + pos_.offset;
    if (integral) {
      if (*first == '-') {
        int64_t value = 0;
        if (std::from_chars(first, last, value).ec == std::errc()) return value;
      } else {
        uint64_t value = 0;
        if (std::from_chars(first, last, value).ec == std::errc()) return value;
      }
    }
    double value = 0;
    auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || ptr != last) fail(start, "a number too large to represent");
    return value;
  }

  JsoncDocument& doc_;
  const std::string& text_;
  TextPos pos_;
};

}  // namespace

std::string path_key(const JsonPath& path) {
  std::string key;
  for (const auto& elem : path) {
    key += '\x1f';  // never appears in a reasonable key; keys with it still work, only slower
    if (const auto* name = std::get_if<std::string>(&elem)) {
      key += 'k';
      key += *name;
    } else {
      key += 'i';
      key += std::to_string(std::get<size_t>(elem));
    }
  }
  return key;
}

std::string path_to_string(const JsonPath& path) {
  std::string out;
  for (const auto& elem : path) {
    if (const auto* name = std::get_if<std::string>(&elem)) {
      if (is_identifier(*name)) {
        if (!out.empty()) out += '.';
        out += *name;
      } else {
        out += '[' + quote(*name) + ']';
      }
    } else {
      out += '[' + std::to_string(std::get<size_t>(elem)) + ']';
    }
  }
  return out;
}

JsonPath child(JsonPath path, PathElem elem) {
  path.push_back(std::move(elem));
  return path;
}

const NodeSpan* JsoncDocument::find(const JsonPath& path) const {
  auto it = spans.find(path_key(path));
  return it == spans.end() ? nullptr : &it->second;
}

TextPos JsoncDocument::pos_of(const JsonPath& path) const {
  JsonPath p = path;
  for (;;) {
    if (const NodeSpan* span = find(p)) return span->value;
    if (p.empty()) return {};
    p.pop_back();
  }
}

TextPos JsoncDocument::key_pos_of(const JsonPath& path) const {
  if (const NodeSpan* span = find(path)) return span->key;
  return pos_of(path);
}

TextPos JsoncDocument::position_at(size_t offset) const {
  TextPos pos;
  size_t first = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;  // as the parser: no column
  for (size_t i = first; i < offset && i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++pos.line;
      pos.column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++pos.column;
    }
  }
  pos.offset = offset;
  return pos;
}

std::variant<JsoncDocument, ParseProblem> parse_jsonc(std::string text) {
  JsoncDocument doc;
  doc.text = std::move(text);
  try {
    Parser(doc).parse_document();
  } catch (const Failure& failure) {
    return failure.problem;
  }
  return doc;
}

}  // namespace ccmcp::config
