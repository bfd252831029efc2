#include "config/edit.h"

#include <functional>
#include <optional>

namespace ccmcp::config {

namespace {

struct Op {
  enum Kind { replace, erase, insert } kind;
  JsonPath path;    // replace, erase: the member; insert: the parent object
  std::string key;  // insert: the new member's key
  Json value;       // replace, insert
};

// True when changing `before` member by member gives the key order of
// `after`: the keys they share in the same order, the new ones at the end.
bool same_order(const Json& before, const Json& after) {
  std::vector<std::string> shared_before, shared_after;
  for (const auto& [key, value] : before.items())
    if (after.contains(key)) shared_before.push_back(key);
  bool added = false;
  for (const auto& [key, value] : after.items()) {
    if (!before.contains(key)) {
      added = true;
    } else {
      if (added) return false;
      shared_after.push_back(key);
    }
  }
  return shared_before == shared_after;
}

void diff(const JsonPath& path, const Json& before, const Json& after, std::vector<Op>& ops) {
  if (before.is_object() && after.is_object() && same_order(before, after)) {
    for (const auto& [key, value] : before.items())
      if (!after.contains(key)) ops.push_back({Op::erase, child(path, key), {}, {}});
    for (const auto& [key, value] : after.items()) {
      if (auto it = before.find(key); it != before.end())
        diff(child(path, key), *it, value, ops);
      else
        ops.push_back({Op::insert, path, key, value});
    }
  } else if (before != after) {
    ops.push_back({Op::replace, path, {}, after});
  }
}

// Splices one operation into a parsed text. Returns nothing when the text
// has a shape this does not handle; the caller then serialises anew.
class Splicer {
 public:
  explicit Splicer(const JsoncDocument& doc) : doc_(doc), text_(doc.text) {}

  std::optional<std::string> apply(const Op& op) {
    switch (op.kind) {
      case Op::replace:
        return replace(op);
      case Op::erase:
        return erase(op);
      case Op::insert:
        return insert(op);
    }
    return std::nullopt;
  }

 private:
  size_t line_start(size_t offset) const {
    size_t nl = offset == 0 ? std::string::npos : text_.rfind('\n', offset - 1);
    return nl == std::string::npos ? 0 : nl + 1;
  }

  // The indentation before `offset` when only blanks precede it on its line.
  std::optional<std::string> leading_blanks(size_t offset) const {
    size_t start = line_start(offset);
    std::string blanks = text_.substr(start, offset - start);
    if (blanks.find_first_not_of(" \t") != std::string::npos) return std::nullopt;
    return blanks;
  }

  // From `from`, past blanks and comments to the end of the line: the offset
  // of the '\n' (or of the end), or npos when other text follows on the line.
  size_t end_of_line_if_blank(size_t from) const {
    size_t i = from;
    while (i < text_.size()) {
      char c = text_[i];
      if (c == ' ' || c == '\t' || c == '\r') {
        ++i;
      } else if (c == '\n') {
        return i;
      } else if (text_.compare(i, 2, "//") == 0) {
        size_t nl = text_.find('\n', i);
        return nl == std::string::npos ? text_.size() : nl;
      } else if (text_.compare(i, 2, "/*") == 0) {
        size_t close = text_.find("*/", i + 2);
        if (close == std::string::npos || text_.find('\n', i) < close) return std::string::npos;
        i = close + 2;
      } else {
        return std::string::npos;
      }
    }
    return i;
  }

  std::string indent_unit() const {
    // The root's first member shows how this file indents.
    if (doc_.root.is_object() && !doc_.root.empty()) {
      const NodeSpan* first = doc_.find({doc_.root.begin().key()});
      if (first) {
        if (auto blanks = leading_blanks(first->key.offset); blanks && !blanks->empty())
          return *blanks;
      }
    }
    return "  ";
  }

  std::string render(const Json& value, const std::string& indent) const {
    if (!value.is_structured() || value.empty()) return value.dump();
    std::string unit = indent_unit();
    std::string out = value.dump(static_cast<int>(unit.size()), unit[0]);
    std::string indented;
    for (char c : out) {
      indented += c;
      if (c == '\n') indented += indent;
    }
    return indented;
  }

  static std::string splice(std::string text, size_t from, size_t to, const std::string& with) {
    text.replace(from, to - from, with);
    return text;
  }

  std::string line_indent(size_t offset) const {
    size_t start = line_start(offset);
    size_t end = text_.find_first_not_of(" \t", start);
    return text_.substr(start, (end == std::string::npos ? text_.size() : end) - start);
  }

  std::optional<std::string> replace(const Op& op) {
    const NodeSpan* span = doc_.find(op.path);
    if (!span) return std::nullopt;
    return splice(text_, span->value.offset, span->value_end,
                  render(op.value, line_indent(span->key.offset)));
  }

  std::optional<std::string> erase(const Op& op) {
    const NodeSpan* span = doc_.find(op.path);
    JsonPath parent_path(op.path.begin(), op.path.end() - 1);
    const NodeSpan* parent = doc_.find(parent_path);
    if (!span || !span->is_member || !parent) return std::nullopt;
    auto blanks = leading_blanks(span->key.offset);
    if (span->comma_after != npos) {
      size_t eol = end_of_line_if_blank(span->comma_after + 1);
      if (blanks && eol != npos) {
        size_t end = eol < text_.size() ? eol + 1 : eol;
        return splice(text_, line_start(span->key.offset), end, "");
      }
      size_t end = span->comma_after + 1;
      while (end < text_.size() && (text_[end] == ' ' || text_[end] == '\t')) ++end;
      return splice(text_, span->key.offset, end, "");
    }
    // The last member: also drop the comma that ends the member before it.
    const Json* parent_value = &doc_.root;
    for (const auto& elem : parent_path)
      parent_value = &(*parent_value)[std::get<std::string>(elem)];
    const NodeSpan* previous = nullptr;
    for (const auto& [key, value] : parent_value->items()) {
      JsonPath sibling = child(parent_path, key);
      if (sibling == op.path) break;
      previous = doc_.find(sibling);
    }
    if (!previous) {
      // The only member: the object becomes empty.
      return splice(text_, parent->value.offset + 1, parent->close, "");
    }
    size_t eol = end_of_line_if_blank(span->value_end);
    if (blanks && eol != npos && line_start(span->key.offset) > 0) {
      std::string out = splice(text_, line_start(span->key.offset) - 1, eol, "");
      return splice(out, previous->comma_after, previous->comma_after + 1, "");
    }
    return splice(text_, previous->comma_after, span->value_end, "");
  }

  std::optional<std::string> insert(const Op& op) {
    const NodeSpan* parent = doc_.find(op.path);
    if (!parent || parent->close == npos) return std::nullopt;
    const Json* parent_value = &doc_.root;
    for (const auto& elem : op.path) {
      if (!std::holds_alternative<std::string>(elem)) return std::nullopt;
      parent_value = &(*parent_value)[std::get<std::string>(elem)];
    }
    if (!parent_value->is_object()) return std::nullopt;
    std::string key_text = Json(op.key).dump() + ": ";

    if (parent_value->empty()) {
      std::string outer = line_indent(parent->key.offset);
      std::string inner = outer + indent_unit();
      std::string member = key_text + render(op.value, inner);
      std::string between =
          text_.substr(parent->value.offset + 1, parent->close - parent->value.offset - 1);
      if (between.find_first_not_of(" \t\r\n") == std::string::npos)
        return splice(text_, parent->value.offset + 1, parent->close,
                      "\n" + inner + member + "\n" + outer);
      return splice(text_, parent->close, parent->close, "\n" + inner + member + "\n" + outer);
    }

    const NodeSpan* last = doc_.find(child(op.path, parent_value->items().begin().key()));
    for (const auto& [key, value] : parent_value->items()) last = doc_.find(child(op.path, key));
    if (!last) return std::nullopt;
    auto blanks = leading_blanks(last->key.offset);
    if (last->comma_after != npos) {  // a trailing comma: keep that style
      size_t eol = end_of_line_if_blank(last->comma_after + 1);
      if (blanks && eol != npos)
        return splice(text_, eol, eol, "\n" + *blanks + key_text + render(op.value, *blanks) + ",");
      return splice(text_, last->comma_after + 1, last->comma_after + 1,
                    " " + key_text + render(op.value, line_indent(last->key.offset)) + ",");
    }
    size_t eol = end_of_line_if_blank(last->value_end);
    if (blanks && eol != npos) {
      std::string out =
          splice(text_, eol, eol, "\n" + *blanks + key_text + render(op.value, *blanks));
      return splice(out, last->value_end, last->value_end, ",");
    }
    return splice(text_, last->value_end, last->value_end,
                  ", " + key_text + render(op.value, line_indent(last->key.offset)));
  }

  const JsoncDocument& doc_;
  const std::string& text_;
};

std::string serialise(const Json& target) {
  return target.dump(2) + "\n";
}

}  // namespace

RewriteResult rewrite_keeping_layout(const JsoncDocument& doc, const Json& target) {
  std::vector<Op> ops;
  diff({}, doc.root, target, ops);
  std::string text = doc.text;
  for (const Op& op : ops) {
    auto parsed = parse_jsonc(text);
    auto* current = std::get_if<JsoncDocument>(&parsed);
    if (!current) return {serialise(target), false};
    auto next = Splicer(*current).apply(op);
    if (!next) return {serialise(target), false};
    text = std::move(*next);
  }
  auto check = parse_jsonc(text);
  auto* result = std::get_if<JsoncDocument>(&check);
  if (!result || result->root != target) return {serialise(target), false};
  return {std::move(text), true};
}

}  // namespace ccmcp::config
