#include "docker/tar_writer.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "util/error.h"
#include "util/file_tree.h"
#include "util/fs.h"
#include "util/sha256.h"
#include "util/unique_fd.h"

namespace ccmcp::docker {

namespace {
// 2000-01-01: any fixed time; 0 makes some tools warn about "implausibly old" files.
constexpr time_t kFixedMtime = 946684800;

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};
}  // namespace

struct TarWriter::State {
  std::filesystem::path file;
  UniqueFd fd;
  Sha256 digest;
  uint64_t written = 0;
  int write_errno = 0;
  std::unique_ptr<archive, ArchiveDeleter> writer;
  bool finished = false;
  std::string result;

  [[noreturn]] void fail(const std::string& what) {
    int err = write_errno ? write_errno : errno;
    throw Error(ErrorKind::io, file.string(), what + ": " + system_problem(err),
                err == ENOSPC ? "free some space" : std::string{});
  }

  void write_entry(archive_entry* entry, std::string_view data) {
    if (archive_write_header(writer.get(), entry) != ARCHIVE_OK)
      fail(std::string("cannot write the build context (") + archive_error_string(writer.get()) +
           ")");
    if (!data.empty() && archive_write_data(writer.get(), data.data(), data.size()) !=
                             static_cast<la_ssize_t>(data.size()))
      fail("cannot write the build context");
  }
};

namespace {

la_ssize_t write_callback(archive*, void* user, const void* buffer, size_t length) {
  auto* state = static_cast<TarWriter::State*>(user);
  const char* bytes = static_cast<const char*>(buffer);
  size_t done = 0;
  while (done < length) {
    ssize_t n = ::write(state->fd.get(), bytes + done, length - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      state->write_errno = errno;
      return -1;
    }
    done += static_cast<size_t>(n);
  }
  state->digest.update(std::string_view(bytes, length));
  state->written += length;
  return static_cast<la_ssize_t>(length);
}

std::unique_ptr<archive_entry, EntryDeleter> new_entry(std::string_view name, mode_t type,
                                                       mode_t perm, int64_t size) {
  std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
  archive_entry_set_pathname(entry.get(), std::string(name).c_str());
  archive_entry_set_filetype(entry.get(), type);
  archive_entry_set_perm(entry.get(), perm & 07777);
  archive_entry_set_size(entry.get(), size);
  archive_entry_set_mtime(entry.get(), kFixedMtime, 0);
  archive_entry_set_uid(entry.get(), 0);
  archive_entry_set_gid(entry.get(), 0);
  return entry;
}

std::string read_file(const std::filesystem::path& path) {
  return read_text_file(path, path.string(), 1ull << 34);
}

}  // namespace

TarWriter::TarWriter(const std::filesystem::path& file) : state_(std::make_unique<State>()) {
  state_->file = file;
  state_->fd.reset(::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!state_->fd) state_->fail("cannot create the build context");
  state_->writer.reset(archive_write_new());
  archive_write_set_format_pax_restricted(state_->writer.get());
  archive_write_set_bytes_per_block(state_->writer.get(), 10240);
  if (archive_write_open(state_->writer.get(), state_.get(), nullptr, write_callback, nullptr) !=
      ARCHIVE_OK)
    state_->fail("cannot start the build context");
}

TarWriter::~TarWriter() = default;

void TarWriter::add_bytes(std::string_view name, std::string_view content, mode_t mode) {
  auto entry = new_entry(name, AE_IFREG, mode, static_cast<int64_t>(content.size()));
  state_->write_entry(entry.get(), content);
}

void TarWriter::add_path(std::string_view name, const std::filesystem::path& source) {
  struct stat st {};
  if (::lstat(source.c_str(), &st) != 0)
    throw Error(ErrorKind::io, source.string(), system_problem(errno));
  if (S_ISLNK(st.st_mode)) {
    std::error_code ec;
    auto target = std::filesystem::read_symlink(source, ec);
    if (ec) throw Error(ErrorKind::io, source.string(), system_problem(ec.value()));
    auto entry = new_entry(name, AE_IFLNK, 0777, 0);
    archive_entry_set_symlink(entry.get(), target.c_str());
    state_->write_entry(entry.get(), {});
  } else if (S_ISDIR(st.st_mode)) {
    auto entry = new_entry(name, AE_IFDIR, st.st_mode | 0755, 0);
    state_->write_entry(entry.get(), {});
  } else if (S_ISREG(st.st_mode)) {
    std::string content = read_file(source);
    // The image's users need to read everything; execute bits are kept.
    auto entry = new_entry(name, AE_IFREG, st.st_mode | 0444, static_cast<int64_t>(content.size()));
    state_->write_entry(entry.get(), content);
  }
  // Sockets, FIFOs and devices have no place in a build context: left out.
}

void TarWriter::add_tree(const std::filesystem::path& dir, std::string_view prefix,
                         const Skip& skip) {
  std::vector<std::filesystem::path> entries = list_tree(dir, skip);
  std::string base(prefix);
  if (!base.empty() && base.back() != '/') base += '/';
  for (const auto& relative : entries) add_path(base + relative.string(), dir / relative);
}

std::string TarWriter::finish() {
  if (!state_->finished) {
    if (archive_write_close(state_->writer.get()) != ARCHIVE_OK)
      state_->fail("cannot finish the build context");
    if (::fsync(state_->fd.get()) != 0 && errno != EINVAL) state_->fail("cannot write it to disk");
    state_->fd.reset();
    state_->finished = true;
    state_->result = "sha256:" + state_->digest.hex_digest();
  }
  return state_->result;
}

uint64_t TarWriter::bytes_written() const {
  return state_->written;
}

}  // namespace ccmcp::docker
