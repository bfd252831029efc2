#include "testing/image_files.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <thread>

#include "util/error.h"
#include "util/unique_fd.h"

namespace ccmcp::tester {

namespace {

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};

FileEntry::Type type_of(mode_t type) {
  switch (type) {
    case AE_IFREG:
      return FileEntry::Type::file;
    case AE_IFDIR:
      return FileEntry::Type::directory;
    case AE_IFLNK:
      return FileEntry::Type::symlink;
    default:
      return FileEntry::Type::other;
  }
}

// "./usr/bin/su", "usr/bin/su/" -> "/usr/bin/su"
std::string absolute(std::string path) {
  if (path.rfind("./", 0) == 0) path.erase(0, 1);
  if (path.empty() || path.front() != '/') path.insert(0, "/");
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

}  // namespace

ImageFiles read_tar(int fd, const ContentChoice& choice, const std::string& subject) {
  std::unique_ptr<archive, ArchiveCloser> reader(archive_read_new());
  archive_read_support_format_tar(reader.get());
  archive_read_support_format_gnutar(reader.get());
  if (archive_read_open_fd(reader.get(), fd, 64 * 1024) != ARCHIVE_OK)
    throw Error(ErrorKind::engine, subject,
                std::string("cannot read its files: ") + archive_error_string(reader.get()));
  ImageFiles files;
  archive_entry* entry = nullptr;
  while (true) {
    int status = archive_read_next_header(reader.get(), &entry);
    if (status == ARCHIVE_EOF) break;
    if (status < ARCHIVE_WARN)
      throw Error(ErrorKind::engine, subject,
                  std::string("its files could not be read: ") + archive_error_string(reader.get()),
                  "is the engine still answering? try again");
    FileEntry file;
    const char* name = archive_entry_pathname(entry);
    file.path = absolute(name ? name : "");
    file.type = type_of(archive_entry_filetype(entry));
    file.mode = static_cast<uint32_t>(archive_entry_perm(entry)) |
                (static_cast<uint32_t>(archive_entry_mode(entry)) & 07000);
    file.uid = archive_entry_uid(entry);
    file.gid = archive_entry_gid(entry);
    file.size = archive_entry_size(entry);
    if (file.type == FileEntry::Type::file) files.total_bytes += file.size;
    if (file.type == FileEntry::Type::file && file.size <= choice.max_bytes && choice.wanted &&
        choice.wanted(file)) {
      std::string content(static_cast<size_t>(file.size), '\0');
      la_ssize_t got = archive_read_data(reader.get(), content.data(), content.size());
      if (got < 0)
        throw Error(ErrorKind::engine, subject,
                    "cannot read " + quote(file.path) + ": " + archive_error_string(reader.get()));
      content.resize(static_cast<size_t>(got));
      files.contents.emplace_back(file.path, std::move(content));
    }
    files.entries.push_back(std::move(file));
  }
  return files;
}

ImageFiles export_container_files(docker::Engine& engine, const std::string& container,
                                  const ContentChoice& choice) {
  // The engine's answer goes into one end of a socket pair on a thread of
  // its own, libarchive reads the other: a stream, with backpressure. A
  // socket, not a pipe, so that a reader that gave up is EPIPE, not SIGPIPE.
  int ends[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0)
    throw Error(ErrorKind::io, "container " + quote(container),
                std::string("cannot read its files: ") + std::strerror(errno));
  UniqueFd read_end(ends[0]);
  UniqueFd write_end(ends[1]);
  std::string subject = "container " + quote(container);

  std::exception_ptr failure;
  std::thread download([&] {
    try {
      net::HttpRequest request;
      request.url = "/containers/" + docker::url_encode(container) + "/export";
      request.timeout = std::chrono::minutes(5);
      request.idle_timeout = std::chrono::seconds(60);
      request.on_body = [&](std::string_view chunk) {
        while (!chunk.empty()) {
          ssize_t sent = ::send(write_end.get(), chunk.data(), chunk.size(), MSG_NOSIGNAL);
          if (sent < 0 && errno == EINTR) continue;
          if (sent <= 0) return false;  // the reader is gone
          chunk.remove_prefix(static_cast<size_t>(sent));
        }
        return true;
      };
      engine.call(request, subject);
    } catch (...) {
      failure = std::current_exception();
    }
    write_end.reset();  // end of the tar for the reader
  });
  ImageFiles files;
  try {
    files = read_tar(read_end.get(), choice, subject);
  } catch (...) {
    read_end.reset();  // unblocks the download
    download.join();
    if (failure) std::rethrow_exception(failure);
    throw;
  }
  read_end.reset();
  download.join();
  if (failure) std::rethrow_exception(failure);
  return files;
}

}  // namespace ccmcp::tester
