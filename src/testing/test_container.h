// The throw-away container a test runs in: the server's image with every
// hardening flag of the container contract (runtime::make_container_spec),
// but no network at all unless the server's config asks for it, no
// published port (the bridge also listens on a socket file in a folder
// bind-mounted from the host), a copy or a read-only bind of each volume,
// no restart, and the label dev.cc-mcp.test=true so that status, start and
// stop never take it for a server's own container.
//
// It is removed in every case: by the destructor (success, failure, an
// exception), by InterruptCleanup on Ctrl-C/SIGTERM/SIGHUP, and, when the
// process was killed outright, by the next run's sweep_stale_test_containers.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "config/model.h"
#include "docker/engine.h"
#include "runtime/container_spec.h"

namespace ccmcp::tester {

inline constexpr const char* kLabelTest = "dev.cc-mcp.test";
// "BOOT_ID PID START_TIME" of the cc-mcp process that made it.
inline constexpr const char* kLabelTestOwner = "dev.cc-mcp.test.owner";
// Where the bridge's socket folder is mounted inside the container.
inline constexpr const char* kSocketDirInContainer = "/run/cc-mcp";
inline constexpr const char* kSocketName = "bridge.sock";

struct TestContainerRequest {
  config::Server server;  // name, environment, volumes, limits (a made-up one for --image)
  runtime::ImageRef image;
  std::vector<std::string> image_entrypoint;  // Config.Entrypoint of the image
  std::vector<std::string> args;              // after the entrypoint: images::container_args
  bool network = false;                       // the config asks for network
};

class TestContainer {
 public:
  // Creates and starts it. Throws Error: an image whose entrypoint is not
  // cc-mcp-bridge cannot be reached without a network (kind runtime).
  static std::unique_ptr<TestContainer> start(docker::Engine& engine,
                                              const TestContainerRequest& request);
  ~TestContainer();
  TestContainer(const TestContainer&) = delete;
  TestContainer& operator=(const TestContainer&) = delete;

  const std::string& id() const { return id_; }
  const std::string& name() const { return name_; }
  // The bridge's socket as seen from the host.
  std::string socket_path() const;
  // How each volume was given to it: "./data -> /data: a throw-away copy".
  const std::vector<std::string>& volume_notes() const { return volume_notes_; }
  // The network it has: "none", or "bridge" when the config asked.
  const std::string& network() const { return network_; }

  // Removes the container and its scratch folder; idempotent, never throws.
  void remove() noexcept;

 private:
  TestContainer(docker::Engine& engine, std::string name, std::filesystem::path scratch);

  docker::Engine& engine_;
  std::string name_;
  std::string id_;
  std::filesystem::path scratch_;  // host folder: sock/ and volumes/
  std::vector<std::string> volume_notes_;
  std::string network_ = "none";
  bool removed_ = false;
};

// "mcp-test-NAME-1a2b3c4d": NAME made safe for a container name.
std::string test_container_name(const std::string& name);

// The entrypoint with "--unix SOCKET" put before its "--"; throws Error
// when it is not cc-mcp-bridge's.
std::vector<std::string> socket_entrypoint(const std::vector<std::string>& entrypoint,
                                           const std::string& image);

// Removes every test container whose run has ended (its process gone, or
// made before this machine's last boot); returns their names. Containers of
// runs still going are left alone.
std::vector<std::string> sweep_stale_test_containers(docker::Engine& engine);

// While one lives, SIGINT, SIGTERM and SIGHUP do not kill cc-mcp at once:
// a thread of its own takes them, removes every test container still
// alive, says so on stderr, and then ends the process with the signal. Make
// it before any other thread starts (the mask is inherited).
class InterruptCleanup {
 public:
  InterruptCleanup();
  ~InterruptCleanup();
  InterruptCleanup(const InterruptCleanup&) = delete;
  InterruptCleanup& operator=(const InterruptCleanup&) = delete;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ccmcp::tester
