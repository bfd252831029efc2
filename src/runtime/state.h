// What cc-mcp learns at run time, per server: above all its port, picked
// once and kept, so that a client's URL stays valid across restarts,
// recreates, updates and reboots. Lives in $CC_MCP_HOME/state/servers.json,
// never in mcp.json. Every change is a locked read-modify-write (flock on
// state/.lock), written to a temporary file and renamed.
//
//   {"servers": {"filesystem": {"port": 24117, ...}}}
//
// Other components keep their own keys in a server's object (the runtime:
// "mode", "pid"; updates: "lastCheck"); unknown keys are kept as they are.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "config/home.h"

namespace ccmcp::runtime {

using Json = nlohmann::ordered_json;

// The range ports are picked from: below Linux's ephemeral range
// (32768-60999), so that outgoing connections never take one first.
inline constexpr int kFirstPort = 20000;
inline constexpr int kLastPort = 32767;

class StateStore {
 public:
  explicit StateStore(config::Home home);

  // The whole state; {"servers": {}} when there is none yet.
  Json load() const;
  // One server's object, or nullopt.
  std::optional<Json> server(const std::string& name) const;
  std::optional<int> port_of(const std::string& name) const;

  // Locked read-modify-write of the whole state. Throws Error (io) when the
  // state cannot be written; then nothing changed.
  void update(const std::function<void(Json& state)>& change,
              std::chrono::milliseconds lock_timeout = std::chrono::seconds(30));

  // The server's port: the stored one, else a free port on 127.0.0.1 that
  // no other server holds, stored before it is returned. The first port
  // tried comes from the name, so a lost state tends to give the same one.
  int ensure_port(const std::string& name);

  const config::Home& home() const { return home_; }
  std::filesystem::path file() const;

 private:
  config::Home home_;
};

// "http://127.0.0.1:PORT/mcp"
std::string server_url(int port);

// True when nothing listens on 127.0.0.1:port and we may bind it.
bool port_is_free(int port);

}  // namespace ccmcp::runtime
