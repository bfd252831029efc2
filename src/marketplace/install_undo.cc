#include "marketplace/install_undo.h"

#include "images/ensure.h"
#include "images/naming.h"
#include "secrets/env_file.h"
#include "secrets/store.h"

namespace ccmcp::marketplace {

InstallUndo::~InstallUndo() {
  for (auto step = steps_.rbegin(); step != steps_.rend(); ++step) {
    try {
      (*step)();
    } catch (...) {
      // Best effort: the engine may be the reason the install failed.
    }
  }
}

void InstallUndo::image_built(const std::string& id) {
  steps_.push_back(
      [this, id] { engine_.del("/images/" + docker::url_encode(id) + "?force=1&noprune=0"); });
}

void InstallUndo::latest_moved(const std::string& server, std::optional<std::string> previous) {
  steps_.push_back([this, server, previous] {
    if (previous)
      images::promote_image(engine_, server, *previous);
    else
      engine_.del("/images/" + docker::url_encode(images::repository_of(server) + ":latest"));
  });
}

void InstallUndo::secret_stored(const config::Home& home, const std::string& server,
                                const std::string& key, std::optional<std::string> previous) {
  steps_.push_back([home, server, key, previous] {
    secrets::remove_env_file(home, server);  // the tester's container had it
    secrets::SecretStore store(home);
    if (previous)
      store.set(server, key, *previous);
    else
      store.remove(server, key);
  });
}

void InstallUndo::folder_created(const std::filesystem::path& path, bool with_contents) {
  steps_.push_back([path, with_contents] {
    std::error_code ec;
    if (with_contents)
      std::filesystem::remove_all(path, ec);
    else
      std::filesystem::remove(path, ec);  // fails, as it should, when not empty
  });
}

void InstallUndo::file_created(const std::filesystem::path& path) {
  steps_.push_back([path] {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  });
}

}  // namespace ccmcp::marketplace
