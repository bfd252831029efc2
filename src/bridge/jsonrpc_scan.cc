#include "bridge/jsonrpc_scan.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>

namespace ccmcp::bridge {

namespace {

constexpr int kMaxDepth = 128;

class Scanner {
 public:
  explicit Scanner(std::string_view text) : t_(text) {}

  bool top_level(TopLevelFields& out) {
    space();
    if (!eat('{')) return false;
    space();
    if (eat('}')) return finish();
    for (;;) {
      space();
      size_t key_begin = i_;
      bool escaped = false;
      if (!string(escaped)) return false;
      std::string_view key = t_.substr(key_begin + 1, i_ - key_begin - 2);
      space();
      if (!eat(':')) return false;
      space();
      size_t value_begin = i_;
      if (!value(1)) return false;
      if (escaped) return false;  // "\u0069d" could be "id": too rare to handle here
      if (Span* slot = slot_for(out, key)) {
        if (slot->found) return false;  // a member twice
        *slot = {value_begin, i_, true};
      }
      space();
      if (eat(',')) continue;
      if (eat('}')) return finish();
      return false;
    }
  }

 private:
  static Span* slot_for(TopLevelFields& out, std::string_view key) {
    if (key == "jsonrpc") return &out.jsonrpc;
    if (key == "id") return &out.id;
    if (key == "method") return &out.method;
    if (key == "params") return &out.params;
    if (key == "result") return &out.result;
    if (key == "error") return &out.error;
    return nullptr;
  }

  bool finish() {
    space();
    return i_ == t_.size();
  }

  bool eat(char c) {
    if (i_ < t_.size() && t_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }

  void space() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r'))
      ++i_;
  }

  bool string(bool& escaped) {
    if (!eat('"')) return false;
    while (i_ < t_.size()) {
      unsigned char c = static_cast<unsigned char>(t_[i_++]);
      if (c == '"') return true;
      if (c < 0x20) return false;
      if (c >= 0x80 && !utf8_rest(c)) return false;
      if (c == '\\') {
        escaped = true;
        if (i_ >= t_.size()) return false;
        char e = t_[i_++];
        if (e == 'u') {
          // Surrogates must pair up (high then low), as the full parser wants.
          int unit = hex4();
          if (unit < 0 || (unit >= 0xDC00 && unit <= 0xDFFF)) return false;
          if (unit >= 0xD800 && unit <= 0xDBFF) {
            if (t_.substr(i_, 2) != "\\u") return false;
            i_ += 2;
            int low = hex4();
            if (low < 0xDC00 || low > 0xDFFF) return false;
          }
        } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' &&
                   e != 'r' && e != 't') {
          return false;
        }
      }
    }
    return false;
  }

  // The bytes after a UTF-8 lead byte `c`: well-formed, shortest form, no
  // surrogates, nothing past U+10FFFF (what nlohmann accepts, exactly).
  bool utf8_rest(unsigned char c) {
    size_t n = c >= 0xC2 && c <= 0xDF   ? 1
               : c >= 0xE0 && c <= 0xEF ? 2
               : c >= 0xF0 && c <= 0xF4 ? 3
                                        : 0;
    if (n == 0 || i_ + n > t_.size()) return false;
    unsigned char c1 = static_cast<unsigned char>(t_[i_]);
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90) ||
        (c == 0xF4 && c1 > 0x8F))
      return false;
    for (size_t k = 0; k < n; ++k)
      if ((static_cast<unsigned char>(t_[i_ + k]) & 0xC0) != 0x80) return false;
    i_ += n;
    return true;
  }

  // Four hex digits after "\\u": their value, or -1.
  int hex4() {
    if (i_ + 4 > t_.size()) return -1;
    int value = 0;
    for (int k = 0; k < 4; ++k) {
      char h = t_[i_ + k];
      int d = h >= '0' && h <= '9'   ? h - '0'
              : h >= 'a' && h <= 'f' ? h - 'a' + 10
              : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                     : -1;
      if (d < 0) return -1;
      value = value * 16 + d;
    }
    i_ += 4;
    return value;
  }

  bool digits() {
    size_t start = i_;
    while (i_ < t_.size() && t_[i_] >= '0' && t_[i_] <= '9') ++i_;
    return i_ > start;
  }

  bool number() {
    size_t start = i_;
    if (!number_grammar()) return false;
    // The full parser refuses a number too large for a double ("number
    // overflow"); mirror it. Only long or non-integral numbers can be.
    std::string_view text = t_.substr(start, i_ - start);
    if (text.size() > 18 || text.find_first_of(".eE") != std::string_view::npos) {
      std::string copy(text);
      if (!std::isfinite(std::strtod(copy.c_str(), nullptr))) return false;
    }
    return true;
  }

  bool number_grammar() {
    eat('-');
    if (eat('0')) {
      if (i_ < t_.size() && t_[i_] >= '0' && t_[i_] <= '9') return false;
    } else if (!digits()) {
      return false;
    }
    if (eat('.') && !digits()) return false;
    if (i_ < t_.size() && (t_[i_] == 'e' || t_[i_] == 'E')) {
      ++i_;
      if (!eat('+')) eat('-');
      if (!digits()) return false;
    }
    return true;
  }

  bool literal(std::string_view word) {
    if (t_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }

  bool value(int depth) {
    if (depth > kMaxDepth || i_ >= t_.size()) return false;
    bool escaped = false;
    switch (t_[i_]) {
      case '"':
        return string(escaped);
      case '{': {
        ++i_;
        space();
        if (eat('}')) return true;
        for (;;) {
          space();
          if (!string(escaped)) return false;
          space();
          if (!eat(':')) return false;
          space();
          if (!value(depth + 1)) return false;
          space();
          if (eat(',')) continue;
          return eat('}');
        }
      }
      case '[': {
        ++i_;
        space();
        if (eat(']')) return true;
        for (;;) {
          space();
          if (!value(depth + 1)) return false;
          space();
          if (eat(',')) continue;
          return eat(']');
        }
      }
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number();
    }
  }

  std::string_view t_;
  size_t i_ = 0;
};

}  // namespace

bool scan_top_level(std::string_view text, TopLevelFields& out) {
  out = {};
  return Scanner(text).top_level(out);
}

}  // namespace ccmcp::bridge
