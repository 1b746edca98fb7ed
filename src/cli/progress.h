// ProgressBar: a one-line progress bar on stderr, drawn only when stderr is a terminal and redrawn
// at most ten times a second. Single-threaded.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace seedcast::cli {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void Update(uint64_t done, uint64_t total);
  // Clears the bar's line.
  void Finish();

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace seedcast::cli
