// SHA-256 of its own for the bridge: the bridge is one static file and must
// not pull in OpenSSL (src/util/sha256 uses its EVP) for one digest per
// audited call. FIPS 180-4, checked against its test vectors.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace ccmcp::bridge {

class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  // Lowercase hex of the 32-byte digest; the object is spent afterwards.
  std::string hex_digest();

 private:
  void compress(const unsigned char* block);

  std::array<uint32_t, 8> state_;
  std::array<unsigned char, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

std::string sha256_hex(std::string_view bytes);

}  // namespace ccmcp::bridge
