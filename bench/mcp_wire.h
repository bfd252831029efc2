// mcp_wire.h: the response side of mcp_load's wire protocol. Parses one
// HTTP/1.1 response (Content-Length, chunked, or until close) and takes the
// JSON-RPC messages out of its body (application/json, a batch, or the data of
// text/event-stream events). Header-only; used by bench/mcp_load.cc.
#pragma once

#include <cctype>
#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mcp_wire {

using Json = nlohmann::json;

struct HttpResponse {
  int status = 0;
  std::string content_type, session_id, body;
  bool close = false;
};

inline std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

enum class Parse { incomplete, done, bad };

// Parses one complete response at the start of buf; `consumed` is its length.
inline Parse parse_http(const std::string& buf, bool eof, HttpResponse& r, size_t& consumed) {
  size_t he = buf.find("\r\n\r\n");
  if (he == std::string::npos) return buf.size() > (1 << 20) ? Parse::bad : Parse::incomplete;
  if (buf.compare(0, 5, "HTTP/") != 0) return Parse::bad;
  size_t sp = buf.find(' ');
  r = HttpResponse{};
  r.status = std::atoi(buf.c_str() + sp + 1);
  long content_length = -1;
  bool chunked = false;
  for (size_t pos = buf.find("\r\n") + 2; pos < he;) {
    size_t eol = buf.find("\r\n", pos), colon = buf.find(':', pos);
    if (colon < eol) {
      std::string name = lower(buf.substr(pos, colon - pos));
      size_t v = buf.find_first_not_of(" \t", colon + 1);
      std::string value = v < eol ? buf.substr(v, eol - v) : "";
      if (name == "content-length")
        content_length = std::atol(value.c_str());
      else if (name == "transfer-encoding")
        chunked = lower(value).find("chunked") != std::string::npos;
      else if (name == "content-type")
        r.content_type = lower(value);
      else if (name == "mcp-session-id")
        r.session_id = value;
      else if (name == "connection")
        r.close = lower(value).find("close") != std::string::npos;
    }
    pos = eol + 2;
  }
  size_t pos = he + 4;
  if (chunked) {
    for (;;) {
      size_t eol = buf.find("\r\n", pos);
      if (eol == std::string::npos) return Parse::incomplete;
      size_t size = std::strtoul(buf.c_str() + pos, nullptr, 16);
      pos = eol + 2;
      if (size == 0) {  // trailers until an empty line
        for (;;) {
          eol = buf.find("\r\n", pos);
          if (eol == std::string::npos) return Parse::incomplete;
          bool empty = eol == pos;
          pos = eol + 2;
          if (empty) break;
        }
        consumed = pos;
        return Parse::done;
      }
      if (buf.size() < pos + size + 2) return Parse::incomplete;
      r.body.append(buf, pos, size);
      pos += size + 2;
    }
  }
  if (content_length >= 0) {
    if (buf.size() < pos + size_t(content_length)) return Parse::incomplete;
    r.body.assign(buf, pos, size_t(content_length));
    consumed = pos + size_t(content_length);
    return Parse::done;
  }
  if (r.status == 204 || r.status == 304 || r.status / 100 == 1) {
    consumed = pos;
    return Parse::done;
  }
  if (!eof) return Parse::incomplete;  // read until close
  r.body.assign(buf, pos);
  r.close = true;
  consumed = buf.size();
  return Parse::done;
}

inline void add_json(const std::string& text, std::vector<Json>& out) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded()) return;
  if (j.is_array())
    for (auto& e : j) out.push_back(std::move(e));
  else
    out.push_back(std::move(j));
}

// The JSON-RPC messages in a body: application/json, or the data of SSE events.
inline std::vector<Json> body_messages(const HttpResponse& r) {
  std::vector<Json> out;
  if (r.content_type.find("text/event-stream") == std::string::npos) {
    if (!r.body.empty()) add_json(r.body, out);
    return out;
  }
  std::string data;
  bool has_data = false;
  size_t pos = 0;
  while (pos <= r.body.size()) {
    size_t eol = r.body.find('\n', pos);
    std::string line = r.body.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (has_data) add_json(data, out);
      data.clear();
      has_data = false;
    } else if (line.compare(0, 5, "data:") == 0) {
      size_t v = line.size() > 5 && line[5] == ' ' ? 6 : 5;
      if (has_data) data += '\n';
      data += line.substr(v);
      has_data = true;
    }
    if (eol == std::string::npos) break;
    pos = eol + 1;
  }
  if (has_data) add_json(data, out);
  return out;
}

}  // namespace mcp_wire
