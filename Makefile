# Thin wrapper over CMake. `make demo` and `make test` install what is missing first.
BUILD      ?= build
ASAN_BUILD ?= build/asan
JOBS       ?= $(shell nproc)
PREFIX     ?= /usr/local
FUZZ_BUILD ?= build/fuzz
FUZZ_SECONDS ?= 300

.PHONY: all deps build test fuzz demo install bench format format-check clean

all: build

deps:
	@scripts/install-deps.sh

build:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

# The test run uses an ASan+UBSan build of everything, the binaries included; then the
# integration tests again with the wall clock a year ahead and a year behind; then each
# fuzz target for 20 s (its own clang build, docs/fuzzing.md).
test: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DPRM_SANITIZE=ON >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 300
	scripts/test-calendar.sh $(ASAN_BUILD) $(JOBS)
	scripts/fuzz.sh $(FUZZ_BUILD) 20 $(JOBS)

# Each fuzz target for FUZZ_SECONDS; new corpus entries and crashes stay under FUZZ_BUILD.
fuzz: deps
	scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(JOBS)

demo: deps build
	scripts/demo.sh $(BUILD)

install: build
	cmake --install $(BUILD)
	scripts/post-install.sh $(PREFIX)

bench: deps build
	scripts/bench.sh $(BUILD)

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

format-check:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run -Werror

clean:
	rm -rf $(BUILD)
