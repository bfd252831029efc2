#include "marketplace/search.h"

#include <algorithm>
#include <cctype>

namespace ccmcp::marketplace {

namespace {

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> out;
  std::string word;
  for (char c : lower(text)) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
        static_cast<unsigned char>(c) >= 0x80) {
      word += c;
    } else if (!word.empty()) {
      out.push_back(word);
      word.clear();
    }
  }
  if (!word.empty()) out.push_back(word);
  return out;
}

// The score of one query word in one package, 0 when it is nowhere.
int word_score(const Package& package, const std::string& word) {
  std::string name = lower(package.name);
  int score = 0;
  if (name == word)
    score += 100;
  else if (name.rfind(word, 0) == 0)
    score += 60;
  else if (name.find(word) != std::string::npos)
    score += 40;
  if (lower(package.title).find(word) != std::string::npos) score += 25;
  for (const auto& keyword : package.keywords) {
    std::string k = lower(keyword);
    if (k == word) {
      score += 30;
      break;
    }
    if (k.find(word) != std::string::npos) {
      score += 15;
      break;
    }
  }
  std::string description = lower(package.description);
  if (description.find(word) != std::string::npos) score += 10;
  if (lower(package.source.url).find(word) != std::string::npos) score += 5;
  return score;
}

}  // namespace

std::vector<SearchHit> search_packages(const std::vector<Package>& packages,
                                       const std::string& query) {
  std::vector<std::string> words = words_of(query);
  std::string whole = lower(query);
  std::vector<SearchHit> hits;
  for (const auto& package : packages) {
    int total = 0;
    bool all = true;
    for (const auto& word : words) {
      int score = word_score(package, word);
      if (score == 0) {
        all = false;
        break;
      }
      total += score;
    }
    if (!all) continue;  // no words at all: every package, by name (browsing)
    if (lower(package.name) == whole) total += 1000;  // the exact name first
    hits.push_back({&package, total});
  }
  std::stable_sort(hits.begin(), hits.end(), [](const SearchHit& a, const SearchHit& b) {
    return a.score != b.score ? a.score > b.score : a.package->name < b.package->name;
  });
  return hits;
}

}  // namespace ccmcp::marketplace
