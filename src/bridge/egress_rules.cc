#include "bridge/egress_rules.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace ccmcp::bridge {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string normal_host(std::string_view host) {
  std::string out = lower(host);
  if (!out.empty() && out.back() == '.') out.pop_back();
  if (out.size() >= 2 && out.front() == '[' && out.back() == ']')
    out = out.substr(1, out.size() - 2);
  return out;
}

bool parse_port(std::string_view text, int& port) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 1 || value > 65535)
    return false;
  port = value;
  return true;
}

bool is_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
         c == ':';  // IPv6 inside brackets
}

// "host:port", "[v6]:port" or "host" (then `port` stays 0). False when malformed.
bool split_authority(std::string_view text, std::string& host, int& port) {
  port = 0;
  std::string_view host_part = text;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return false;
    host_part = text.substr(0, close + 1);
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty() && (rest.front() != ':' || !parse_port(rest.substr(1), port))) return false;
  } else if (size_t colon = text.rfind(':'); colon != std::string_view::npos) {
    host_part = text.substr(0, colon);
    if (!parse_port(text.substr(colon + 1), port)) return false;
  }
  host = normal_host(host_part);
  if (host.empty()) return false;
  return std::all_of(host.begin(), host.end(), is_host_char);
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<AllowRule> parse_allow_rule(std::string_view text, std::string& problem) {
  AllowRule rule;
  std::string_view rest = text;
  if (rest.substr(0, 2) == "*.") {
    rule.wildcard = true;
    rest.remove_prefix(1);  // keeps the dot
  }
  std::string host;
  if (!split_authority(rule.wildcard ? rest.substr(1) : rest, host, rule.port) ||
      host.find('*') != std::string::npos) {
    problem = "\"" + std::string(text) +
              "\" is not a host[:port] (e.g. api.github.com:443 or *.example.com:443)";
    return std::nullopt;
  }
  rule.host = rule.wildcard ? "." + host : host;
  return rule;
}

bool is_allowed(const std::vector<AllowRule>& rules, std::string_view host, int port) {
  std::string name = normal_host(host);
  for (const auto& rule : rules) {
    bool port_ok = rule.port ? rule.port == port : (port == 443 || port == 80);
    if (!port_ok) continue;
    if (rule.wildcard ? name.size() > rule.host.size() && name.ends_with(rule.host)
                      : name == rule.host)
      return true;
  }
  return false;
}

std::optional<ProxyRequest> parse_proxy_request(std::string_view head, std::string& problem) {
  size_t line_end = head.find("\r\n");
  if (line_end == std::string_view::npos) {
    problem = "the request has no request line";
    return std::nullopt;
  }
  std::string_view line = head.substr(0, line_end);
  size_t first = line.find(' ');
  size_t last = line.rfind(' ');
  if (first == std::string_view::npos || last == first || line.substr(last + 1, 5) != "HTTP/") {
    problem = "the request line is not \"METHOD TARGET HTTP/1.x\"";
    return std::nullopt;
  }
  std::string_view method = line.substr(0, first);
  std::string_view target = line.substr(first + 1, last - first - 1);
  ProxyRequest request;
  if (method == "CONNECT") {
    request.tunnel = true;
    if (!split_authority(target, request.host, request.port) || request.port == 0) {
      problem = "CONNECT needs host:port, not \"" + std::string(target) + "\"";
      return std::nullopt;
    }
    return request;
  }
  constexpr std::string_view kHttp = "http://";
  if (lower(target.substr(0, kHttp.size())) != kHttp) {
    problem = lower(target.substr(0, 8)) == "https://"
                  ? "an https:// URL goes through CONNECT (set HTTPS_PROXY, not HTTP_PROXY)"
                  : "this is a proxy: the request needs an absolute http:// URL or CONNECT";
    return std::nullopt;
  }
  std::string_view rest = target.substr(kHttp.size());
  size_t path_at = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_at);
  std::string path = path_at == std::string_view::npos ? "/" : std::string(rest.substr(path_at));
  if (path.front() == '?') path = "/" + path;
  if (authority.find('@') != std::string_view::npos ||
      !split_authority(authority, request.host, request.port)) {
    problem = "\"" + std::string(authority) + "\" is not a host[:port]";
    return std::nullopt;
  }
  if (request.port == 0) request.port = 80;

  std::string out =
      std::string(method) + " " + path + " " + std::string(line.substr(last + 1)) + "\r\n";
  size_t at = line_end + 2;
  while (at < head.size()) {
    size_t end = head.find("\r\n", at);
    if (end == std::string_view::npos) end = head.size();
    std::string_view header = head.substr(at, end - at);
    at = end + 2;
    if (header.empty()) break;
    size_t colon = header.find(':');
    std::string name = lower(trim(header.substr(0, colon == std::string_view::npos ? 0 : colon)));
    if (name.starts_with("proxy-") || name == "connection" || name == "keep-alive") continue;
    out.append(header).append("\r\n");
  }
  out += "Connection: close\r\n\r\n";
  request.origin_head = std::move(out);
  return request;
}

std::vector<int> transparent_ports(const std::vector<AllowRule>& rules) {
  std::vector<int> ports;
  for (const auto& rule : rules) {
    if (rule.wildcard) continue;
    if (rule.port) {
      ports.push_back(rule.port);
    } else {
      ports.push_back(443);
      ports.push_back(80);
    }
  }
  std::sort(ports.begin(), ports.end());
  ports.erase(std::unique(ports.begin(), ports.end()), ports.end());
  return ports;
}

std::vector<std::string> named_hosts_on(const std::vector<AllowRule>& rules, int port) {
  std::vector<std::string> hosts;
  for (const auto& rule : rules)
    if (!rule.wildcard && (rule.port ? rule.port == port : (port == 443 || port == 80)) &&
        std::find(hosts.begin(), hosts.end(), rule.host) == hosts.end())
      hosts.push_back(rule.host);
  return hosts;
}

namespace {

// Reads big-endian integers from a buffer, failing softly at its end.
struct Reader {
  std::string_view data;
  size_t at = 0;
  bool ok = true;
  size_t number(size_t bytes) {
    if (at + bytes > data.size()) {
      ok = false;
      return 0;
    }
    size_t value = 0;
    for (size_t i = 0; i < bytes; ++i)
      value = value << 8 | static_cast<unsigned char>(data[at + i]);
    at += bytes;
    return value;
  }
  void skip(size_t bytes) {
    if (at + bytes > data.size()) ok = false;
    at = std::min(at + bytes, data.size());
  }
};

Sniffed tls_server_name(std::string_view data) {
  // Record: type 22 (handshake), version (2), length (2); then the
  // handshake: type 1 (ClientHello), length (3). One record is enough:
  // clients put the whole ClientHello in the first.
  Reader record{data};
  record.skip(3);
  size_t record_length = record.number(2);
  if (!record.ok) return {Sniff::need_more, {}};
  if (data.size() < 5 + record_length) return {Sniff::need_more, {}};
  Reader hello{data.substr(5, record_length)};
  if (hello.number(1) != 1) return {Sniff::none, {}};
  hello.skip(3 + 2 + 32);       // length, client version, random
  hello.skip(hello.number(1));  // session id
  hello.skip(hello.number(2));  // cipher suites
  hello.skip(hello.number(1));  // compression methods
  size_t extensions_end = hello.number(2) + hello.at;
  while (hello.ok && hello.at + 4 <= extensions_end) {
    size_t type = hello.number(2), length = hello.number(2);
    if (type != 0) {
      hello.skip(length);
      continue;
    }
    // server_name: list length (2), then entries of type (1), length (2), name.
    hello.skip(2);
    while (hello.ok && hello.at < extensions_end) {
      size_t name_type = hello.number(1), name_length = hello.number(2);
      if (!hello.ok || hello.at + name_length > hello.data.size()) break;
      std::string name(hello.data.substr(hello.at, name_length));
      hello.skip(name_length);
      if (name_type == 0) return {Sniff::name, normal_host(name)};
    }
    break;
  }
  return {Sniff::none, {}};
}

Sniffed http_host(std::string_view data) {
  size_t end = data.find("\r\n\r\n");
  if (end == std::string_view::npos) return {Sniff::need_more, {}};
  size_t at = data.find("\r\n");
  while (at < end) {
    at += 2;
    size_t line_end = data.find("\r\n", at);
    std::string_view line = data.substr(at, line_end - at);
    size_t colon = line.find(':');
    if (colon != std::string_view::npos && lower(trim(line.substr(0, colon))) == "host") {
      std::string host;
      int port = 0;
      if (!split_authority(trim(line.substr(colon + 1)), host, port)) return {Sniff::none, {}};
      return {Sniff::name, host};
    }
    at = line_end;
  }
  return {Sniff::none, {}};
}

}  // namespace

Sniffed sniff_destination(std::string_view first_bytes) {
  if (first_bytes.empty()) return {Sniff::need_more, {}};
  if (first_bytes[0] == 0x16) return tls_server_name(first_bytes);
  // An HTTP request starts with a method in capitals.
  if (first_bytes[0] >= 'A' && first_bytes[0] <= 'Z') return http_host(first_bytes);
  return {Sniff::none, {}};
}

}  // namespace ccmcp::bridge
