#include "images/catalog.h"

#include <algorithm>

#include "images/naming.h"
#include "util/error.h"

namespace ccmcp::images {

std::vector<ImageRecord> list_server_images(docker::Engine& engine, const std::string& server) {
  docker::Json filters = {{"label", {std::string(label::name) + "=" + server}}};
  docker::Json list = engine.get("/images/json?filters=" + docker::url_encode(filters.dump()));
  std::string latest = repository_of(server) + ":latest";
  std::vector<ImageRecord> records;
  if (!list.is_array()) return records;
  for (const auto& item : list) {
    ImageRecord record;
    record.id = item.value("Id", "");
    if (item.contains("RepoTags") && item["RepoTags"].is_array())
      for (const auto& tag : item["RepoTags"])
        if (tag.is_string() && tag.get<std::string>() != "<none>:<none>")
          record.tags.push_back(tag.get<std::string>());
    record.created = item.value("Created", int64_t{0});
    record.size = item.value("Size", int64_t{0});
    if (item.contains("Labels") && item["Labels"].is_object()) {
      const auto& labels = item["Labels"];
      record.version = labels.value(label::cc_version, "");
      record.commit = labels.value(label::commit, "");
      record.source = labels.value(label::spec, "");
      record.created_text = labels.value(label::created, "");
      record.recipe = labels.value(label::recipe, "");
    }
    record.current = std::find(record.tags.begin(), record.tags.end(), latest) != record.tags.end();
    records.push_back(std::move(record));
  }
  std::stable_sort(records.begin(), records.end(), [](const ImageRecord& a, const ImageRecord& b) {
    return a.created != b.created ? a.created > b.created : a.id > b.id;
  });
  return records;
}

std::vector<std::string> choose_removals(const std::vector<ImageRecord>& images, size_t keep) {
  std::vector<const ImageRecord*> sorted;
  for (const auto& image : images) sorted.push_back(&image);
  std::stable_sort(sorted.begin(), sorted.end(), [](const ImageRecord* a, const ImageRecord* b) {
    return a->created > b->created;
  });
  std::vector<std::string> removals;
  size_t kept = 0;
  for (const ImageRecord* image : sorted) {
    if (image->current) continue;
    if (image->tags.empty() || kept >= keep)
      removals.push_back(image->id);
    else
      ++kept;
  }
  return removals;
}

RetentionResult apply_retention(docker::Engine& engine, const std::string& server) {
  RetentionResult result;
  std::vector<ImageRecord> images = list_server_images(engine, server);
  for (const auto& id : choose_removals(images)) {
    auto record = std::find_if(images.begin(), images.end(),
                               [&](const ImageRecord& image) { return image.id == id; });
    // The engine will not remove by id an image with several names; its
    // names are taken off one by one instead, the last one removing it.
    std::vector<std::string> targets =
        record->tags.size() > 1 ? record->tags : std::vector<std::string>{id};
    try {
      for (const auto& target : targets)
        engine.del("/images/" + docker::url_encode(target), quote(target));
      result.removed.push_back(id);
    } catch (const docker::EngineError& error) {
      // 409: a container (running or not) uses it; it stays. 404: gone already.
      if (error.status() == 409)
        result.kept_in_use.push_back(id);
      else if (error.status() != 404)
        throw;
    }
  }
  return result;
}

}  // namespace ccmcp::images
