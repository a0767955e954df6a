#pragma once
// FUZZ_CHECK(cond, what): an invariant of the code under test. On failure it prints the
// condition and aborts, so libFuzzer saves the input as a crash artifact.
#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond, what)                                                                     \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      std::fprintf(stderr, "%s:%d: invariant failed: %s (%s)\n", __FILE__, __LINE__, #cond, what); \
      std::abort();                                                                                \
    }                                                                                              \
  } while (0)
