#include "config/edit.h"

#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace ccmcp::config {
namespace {

JsoncDocument parse_ok(const std::string& text) {
  auto result = parse_jsonc(text);
  if (auto* problem = std::get_if<ParseProblem>(&result))
    throw std::runtime_error("does not parse: " + problem->problem + "\n" + text);
  return std::get<JsoncDocument>(std::move(result));
}

// Applies `change` to the data of `text` and rewrites the text to match.
RewriteResult rewrite(const std::string& text, const std::function<void(Json&)>& change) {
  JsoncDocument doc = parse_ok(text);
  Json target = doc.root;
  change(target);
  RewriteResult result = rewrite_keeping_layout(doc, target);
  EXPECT_EQ(parse_ok(result.text).root, target) << result.text;
  return result;
}

std::string kept(const std::string& text, const std::function<void(Json&)>& change) {
  RewriteResult result = rewrite(text, change);
  EXPECT_TRUE(result.layout_kept) << result.text;
  return result.text;
}

const char* const kServers = R"(// servers we run
{
  "mcpServers": {
    /* the files */ "fs": {"command": "npx", "disabled": false}, // trailing
    "b": {
      "command": "y" // the command
    },
    "e": {"env": {}}
  }
}
)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("no " + from);
  return text.replace(at, from.size(), to);
}

TEST(Edit, SetsAValueWhereItStands) {
  EXPECT_EQ(kept(kServers, [](Json& r) { r["mcpServers"]["fs"]["disabled"] = true; }),
            replaced(kServers, "false", "true"));
  EXPECT_EQ(kept(kServers, [](Json& r) { r["mcpServers"]["b"]["command"] = "a \"b\""; }),
            replaced(kServers, R"("y")", R"("a \"b\"")"));
}

TEST(Edit, ReplacesAValueWithAnIndentedObject) {
  EXPECT_EQ(kept("{\n  \"a\": {\n    \"limits\": \"x\"\n  }\n}\n",
                 [](Json& r) {
                   r["a"]["limits"] = Json{{"memory", "1g"}, {"cpus", 2}};
                 }),
            "{\n  \"a\": {\n    \"limits\": {\n      \"memory\": \"1g\",\n      \"cpus\": 2\n    "
            "}\n  }\n}\n");
}

TEST(Edit, AddsAMemberKeepingIndentationAndTheCommentOnItsLine) {
  EXPECT_EQ(kept(kServers, [](Json& r) { r["mcpServers"]["b"]["disabled"] = true; }),
            replaced(kServers, "\"y\" // the command\n",
                     "\"y\", // the command\n      \"disabled\": true\n"));
  EXPECT_EQ(kept(kServers, [](Json& r) { r["mcpServers"]["fs"]["args"] = {"-y"}; }),
            replaced(kServers, "\"disabled\": false}",
                     "\"disabled\": false, \"args\": [\n      \"-y\"\n    ]}"));
  // With tabs, the new member takes the tabs of its siblings.
  EXPECT_EQ(kept("{\n\t\"a\": 1\n}",
                 [](Json& r) {
                   r["b"] = {{"c", 1}};
                 }),
            "{\n\t\"a\": 1,\n\t\"b\": {\n\t\t\"c\": 1\n\t}\n}");
}

TEST(Edit, KeepsTheTrailingCommaStyle) {
  EXPECT_EQ(kept("{\n  \"a\": 1,\n  \"b\": 2, // two\n}\n", [](Json& r) { r["c"] = 3; }),
            "{\n  \"a\": 1,\n  \"b\": 2, // two\n  \"c\": 3,\n}\n");
  EXPECT_EQ(kept("{\"a\": 1,}", [](Json& r) { r["b"] = 2; }), "{\"a\": 1, \"b\": 2,}");
}

TEST(Edit, AddsToAnEmptyObject) {
  EXPECT_EQ(kept(kServers, [](Json& r) { r["mcpServers"]["e"]["env"]["K"] = "v"; }),
            replaced(kServers, "\"env\": {}}", "\"env\": {\n      \"K\": \"v\"\n    }}"));
  EXPECT_EQ(kept("{}", [](Json& r) { r["mcpServers"] = Json::object(); }),
            "{\n  \"mcpServers\": {}\n}");
  EXPECT_EQ(kept("{\"a\": { /* none yet */ }}", [](Json& r) { r["a"]["b"] = 1; }),
            "{\"a\": { /* none yet */ \n  \"b\": 1\n}}");
}

TEST(Edit, ErasesMembersWithTheirLines) {
  const std::string text =
      "{\n  // first\n  \"a\": 1, // one\n  \"b\": 2, // two\n  \"c\": 3  // three\n}\n";
  EXPECT_EQ(kept(text, [](Json& r) { r.erase("b"); }),
            "{\n  // first\n  \"a\": 1, // one\n  \"c\": 3  // three\n}\n");
  EXPECT_EQ(kept(text, [](Json& r) { r.erase("c"); }),
            "{\n  // first\n  \"a\": 1, // one\n  \"b\": 2 // two\n}\n");
  EXPECT_EQ(kept(text, [](Json& r) { r.erase("a"); }),
            "{\n  // first\n  \"b\": 2, // two\n  \"c\": 3  // three\n}\n");
  EXPECT_EQ(kept(text,
                 [](Json& r) {
                   r.erase("a");
                   r.erase("c");
                 }),
            "{\n  // first\n  \"b\": 2 // two\n}\n");
  EXPECT_EQ(
      kept("{\n  \"a\": {\n    \"x\": 1\n  },\n  \"b\": 2\n}", [](Json& r) { r["a"].erase("x"); }),
      "{\n  \"a\": {},\n  \"b\": 2\n}");
}

TEST(Edit, ErasesMembersOnOneLine) {
  const std::string text = R"({"a": 1, "b": 2, "c": 3})";
  EXPECT_EQ(kept(text, [](Json& r) { r.erase("a"); }), R"({"b": 2, "c": 3})");
  EXPECT_EQ(kept(text, [](Json& r) { r.erase("b"); }), R"({"a": 1, "c": 3})");
  EXPECT_EQ(kept(text, [](Json& r) { r.erase("c"); }), R"({"a": 1, "b": 2})");
  EXPECT_EQ(kept(R"({"a": 1})", [](Json& r) { r.erase("a"); }), "{}");
  EXPECT_EQ(kept(R"({"a": 1, "b": 2,})", [](Json& r) { r.erase("b"); }), R"({"a": 1, })");
}

TEST(Edit, SeveralChangesAtOnceLeaveEverythingElseAlone) {
  std::string expected = replaced(kServers, "false", "true");
  expected =
      replaced(expected, "    \"b\": {\n      \"command\": \"y\" // the command\n    },\n", "");
  expected = replaced(expected, "{\"env\": {}}", "{\"env\": {}, \"mode\": \"external\"}");
  EXPECT_EQ(kept(kServers,
                 [](Json& r) {
                   r["mcpServers"]["fs"]["disabled"] = true;
                   r["mcpServers"].erase("b");
                   r["mcpServers"]["e"]["mode"] = "external";
                 }),
            expected);
  EXPECT_EQ(kept(kServers, [](Json&) {}), kServers);
}

TEST(Edit, ReorderedKeysReplaceTheirObjectWhereItStands) {
  const std::string text = "// head\n{\"s\": {\"b\": 1, /* c */ \"a\": 2}, // keep\n \"t\": 1}\n";
  EXPECT_EQ(kept(text, [](Json& r) { r["s"] = Json::parse(R"({"a": 2, "b": 1})"); }),
            "// head\n{\"s\": {\n  \"a\": 2,\n  \"b\": 1\n}, // keep\n \"t\": 1}\n");
  // A new key before an old one is a new order too.
  EXPECT_EQ(
      kept(text, [](Json& r) { r = Json::parse(R"({"n": 0, "s": {"b": 1, "a": 2}, "t": 1})"); }),
      "// head\n{\n  \"n\": 0,\n  \"s\": {\n    \"b\": 1,\n    \"a\": 2\n  },\n  \"t\": 1\n}\n");
  EXPECT_EQ(kept("[1, 2] // list", [](Json& r) { r = Json::object(); }), "{} // list");
}

// Random JSONC documents with comments everywhere, each comment marked <cN>.
class DocGen {
 public:
  explicit DocGen(uint32_t seed) : rng_(seed) {}

  std::string document(Json& root) {
    unit_ = std::vector<std::string>{"  ", "    ", "\t"}[pick(3)];
    root = object(0);
    std::string text = chance(2) ? comment(true) + "\n" : "";
    text += render(root, "", false);
    if (chance(2)) text += " " + comment(true);
    return text + "\n";
  }
  Json value(int depth) {
    static const char* const strings[] = {"", "x", "a \"q\" \\ /* // */", "\xC3\xA9t\xC3\xA9",
                                          "line\nnext"};
    switch (pick(depth < 3 ? 8 : 5)) {
      case 0:
        return pick(2000) - 1000;
      case 1:
        return strings[pick(5)];
      case 2:
        return chance(2);
      case 3:
        return nullptr;
      case 4:
        return 0.25 * pick(9);
      case 5:
      case 6:
        return object(depth + 1);
      default: {
        Json array = Json::array();
        for (int i = pick(4); i > 0; --i) array.push_back(value(depth + 1));
        return array;
      }
    }
  }
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool chance(int one_in) { return pick(one_in) == 0; }

 private:
  Json object(int depth) {
    static const char* const keys[] = {"a", "mode", "x y", "\xC3\xA9", "k//", "q\"", "_"};
    Json out = Json::object();
    for (int i = pick(depth == 0 ? 5 : 4); i > 0; --i) out[keys[pick(7)]] = value(depth);
    return out;
  }
  std::string comment(bool line) {
    std::string mark = "<c" + std::to_string(next_++) + ">";
    return line && chance(2) ? "// " + mark : "/* " + mark + " */";
  }
  std::string render(const Json& v, const std::string& indent, bool one_line) {
    if (v.is_array()) {
      std::string out = "[";
      for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + render(v[i], indent, true);
      return out + (v.empty() || !chance(3) ? "]" : ",]");
    }
    if (!v.is_object()) return v.dump();
    if (v.empty())
      return std::vector<std::string>{"{}", "{ }", "{ " + comment(false) + " }",
                                      "{\n" + indent + "}"}[pick(4)];
    bool trailing = chance(3);
    std::string out = "{", inner = indent + unit_;
    if (one_line || chance(4)) {
      size_t i = 0;
      for (const auto& [key, item] : v.items()) {
        if (chance(4)) out += comment(false) + " ";
        out += Json(key).dump() + ": " + render(item, indent, true);
        out += ++i < v.size() ? ", " : trailing ? "," : "";
      }
      return out + "}";
    }
    out += chance(3) ? " " + comment(true) + "\n" : "\n";
    size_t i = 0;
    for (const auto& [key, item] : v.items()) {
      if (chance(4)) out += inner + comment(true) + "\n";
      out += inner + (chance(5) ? comment(false) + " " : "");
      out += Json(key).dump() + ": " + render(item, inner, false);
      out += ++i < v.size() || trailing ? "," : "";
      out += chance(3) ? " " + comment(true) + "\n" : "\n";
    }
    if (chance(4)) out += inner + comment(true) + "\n";
    return out + indent + "}";
  }

  std::mt19937 rng_;
  std::string unit_;
  int next_ = 0;
};

bool is_under(const JsonPath& path, const std::vector<JsonPath>& dead) {
  for (const auto& d : dead)
    if (path.size() >= d.size() && std::equal(d.begin(), d.end(), path.begin())) return true;
  return false;
}

template <class J>
J& at_path(J& root, const JsonPath& path) {
  J* value = &root;
  for (const auto& elem : path) value = &(*value)[std::get<std::string>(elem)];
  return *value;
}

// Objects of the original, reached through objects only, still in `target`.
void live_objects(const Json& target, const JsonPath& path, const std::vector<JsonPath>& dead,
                  std::vector<JsonPath>& out) {
  if (!target.is_object() || is_under(path, dead)) return;
  out.push_back(path);
  for (const auto& [key, item] : target.items())
    if (key.rfind("new", 0) != 0) live_objects(item, child(path, key), dead, out);
}

TEST(Edit, RandomEditsOfRandomDocumentsKeepLayoutAndComments) {
  for (uint32_t seed = 1; seed <= 3000; ++seed) {
    DocGen gen(seed);
    Json original;
    std::string text = gen.document(original);
    JsoncDocument doc = parse_ok(text);
    ASSERT_EQ(doc.root, original) << text;
    Json target = original;
    std::vector<JsonPath> dead;
    std::vector<std::pair<size_t, size_t>> touched;  // text that an edit may remove
    for (int edits = 1 + gen.pick(3), n = 0; n < edits; ++n) {
      std::vector<JsonPath> objects;
      live_objects(target, {}, dead, objects);
      JsonPath parent = objects[gen.pick(static_cast<int>(objects.size()))];
      Json& object = at_path(target, parent);
      const NodeSpan& span = *doc.find(parent);
      std::vector<std::string> keys;
      for (const auto& [key, item] : object.items())
        if (key.rfind("new", 0) != 0) keys.push_back(key);
      int op = keys.empty() ? 2 : gen.pick(3);
      if (op == 2) {
        object["new" + std::to_string(n)] = gen.value(2);
        // Adding to an object with none of its own members may rewrite its inside.
        if (keys.empty()) touched.emplace_back(span.value.offset + 1, span.close);
        continue;
      }
      std::string key = keys[gen.pick(static_cast<int>(keys.size()))];
      JsonPath path = child(parent, key);
      dead.push_back(path);
      const NodeSpan& member = *doc.find(path);
      if (op == 0) {
        object[key] = gen.value(2);
        touched.emplace_back(member.value.offset, member.value_end);
        continue;
      }
      object.erase(key);
      const Json& before = at_path(original, parent);
      size_t from = span.value.offset + 1, to = span.close;
      bool found = false;
      for (const auto& [sibling, item] : before.items()) {
        const NodeSpan& s = *doc.find(child(parent, sibling));
        if (sibling == key)
          found = true;
        else if (!found)
          from = s.value_end;
        else if (to == span.close)
          to = s.key.offset;
      }
      touched.emplace_back(from, to);
    }
    RewriteResult result = rewrite_keeping_layout(doc, target);
    auto reparsed = parse_jsonc(result.text);
    ASSERT_TRUE(std::holds_alternative<JsoncDocument>(reparsed)) << text << result.text;
    ASSERT_EQ(std::get<JsoncDocument>(reparsed).root, target) << text << result.text;
    ASSERT_TRUE(result.layout_kept) << "seed " << seed << "\n" << text << target.dump();
    for (size_t at = text.find("<c"); at != std::string::npos; at = text.find("<c", at + 1)) {
      bool may_go = false;
      for (auto [from, to] : touched) may_go = may_go || (at >= from && at < to);
      std::string mark = text.substr(at, text.find('>', at) + 1 - at);
      if (may_go) continue;
      ASSERT_NE(result.text.find(mark), std::string::npos) << "lost " << mark << "\n"
                                                           << text << "----\n"
                                                           << result.text;
    }
  }
}

}  // namespace
}  // namespace ccmcp::config
