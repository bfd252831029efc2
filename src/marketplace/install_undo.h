// What an install made, taken back when it fails: run in reverse order by
// the destructor unless commit() was called. Each step is best effort and
// never throws (the install's own error is the one the user must see).
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/home.h"
#include "docker/engine.h"

namespace ccmcp::marketplace {

class InstallUndo {
 public:
  explicit InstallUndo(docker::Engine& engine) : engine_(engine) {}
  ~InstallUndo();
  InstallUndo(const InstallUndo&) = delete;
  InstallUndo& operator=(const InstallUndo&) = delete;

  // An image the install built: removed with its tags.
  void image_built(const std::string& id);
  // cc-mcp/NAME:latest was moved: put back on `previous` (an image id), or
  // untagged when there was none.
  void latest_moved(const std::string& server, std::optional<std::string> previous);
  // A folder the install created: removed with what is in it (a source
  // clone), or only while still empty (a volume's host folder).
  void folder_created(const std::filesystem::path& path, bool with_contents);
  void file_created(const std::filesystem::path& path);
  // A secret stored for the server: its previous value put back, or removed,
  // and the tmpfs file the tester's container read taken away.
  void secret_stored(const config::Home& home, const std::string& server, const std::string& key,
                     std::optional<std::string> previous);

  void commit() { steps_.clear(); }

 private:
  docker::Engine& engine_;
  std::vector<std::function<void()>> steps_;
};

}  // namespace ccmcp::marketplace
