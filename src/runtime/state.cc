#include "runtime/state.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <set>

#include "util/error.h"
#include "util/file_lock.h"
#include "util/fs.h"
#include "util/sha256.h"
#include "util/unique_fd.h"

namespace ccmcp::runtime {

namespace {

constexpr uint64_t kMaxStateBytes = 16ull << 20;

Json empty_state() {
  return Json{{"servers", Json::object()}};
}

}  // namespace

StateStore::StateStore(config::Home home) : home_(std::move(home)) {}

std::filesystem::path StateStore::file() const {
  return home_.state_dir() / "servers.json";
}

Json StateStore::load() const {
  std::error_code ec;
  if (!std::filesystem::exists(file(), ec)) return empty_state();
  std::string text = read_text_file(file(), file().string(), kMaxStateBytes);
  Json state = Json::parse(text, nullptr, false);
  // A damaged state file is not the user's to repair: start over, but keep
  // it for a look.
  if (!state.is_object() || !state.contains("servers") || !state["servers"].is_object())
    return empty_state();
  return state;
}

std::optional<Json> StateStore::server(const std::string& name) const {
  Json state = load();
  auto it = state["servers"].find(name);
  if (it == state["servers"].end() || !it->is_object()) return std::nullopt;
  return *it;
}

std::optional<int> StateStore::port_of(const std::string& name) const {
  auto entry = server(name);
  if (!entry || !entry->contains("port") || !(*entry)["port"].is_number_integer())
    return std::nullopt;
  return (*entry)["port"].get<int>();
}

void StateStore::update(const std::function<void(Json& state)>& change,
                        std::chrono::milliseconds lock_timeout) {
  FileLock lock(home_.state_dir() / ".lock", lock_timeout, "another cc-mcp");
  Json state = load();
  Json before = state;
  change(state);
  if (state == before) return;
  write_file_atomically(file(), file().string(), state.dump(2) + "\n", FileOwnership{0600});
}

int StateStore::ensure_port(const std::string& name) {
  int port = 0;
  update([&](Json& state) {
    Json& servers = state["servers"];
    Json& entry = servers[name];
    if (!entry.is_object()) entry = Json::object();
    if (entry.contains("port") && entry["port"].is_number_integer()) {
      port = entry["port"].get<int>();
      return;
    }
    std::set<int> taken;
    for (const auto& [other, value] : servers.items())
      if (value.is_object() && value.contains("port") && value["port"].is_number_integer())
        taken.insert(value["port"].get<int>());
    const int span = kLastPort - kFirstPort + 1;
    int start = static_cast<int>(std::stoul(sha256_hex(name).substr(0, 8), nullptr, 16) % span);
    for (int i = 0; i < span; ++i) {
      int candidate = kFirstPort + (start + i) % span;
      if (taken.count(candidate) || !port_is_free(candidate)) continue;
      port = candidate;
      break;
    }
    if (port == 0)
      throw Error(ErrorKind::conflict, quote(name),
                  "no free port on 127.0.0.1 between " + std::to_string(kFirstPort) + " and " +
                      std::to_string(kLastPort),
                  "stop something that holds them");
    entry["port"] = port;
  });
  return port;
}

std::string server_url(int port) {
  return "http://127.0.0.1:" + std::to_string(port) + "/mcp";
}

bool port_is_free(int port) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return false;
  // No SO_REUSEADDR: a port in TIME_WAIT after a stopped server is taken
  // by that server again, which is what we want; others should skip it.
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return ::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
}

}  // namespace ccmcp::runtime
