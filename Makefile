# Thin wrapper over CMake. `make demo` and `make test` install what is missing first.
BUILD      ?= build
ASAN_BUILD ?= build/asan
JOBS       ?= $(shell nproc)
PREFIX     ?= /usr/local
FUZZ_BUILD ?= build/fuzz
FUZZ_SECONDS ?= 300
ARM64_BUILD ?= build/arm64
SCALE_AGENTS ?= 1000
# Tests run twice as many at once as there are cores: most of a test's time is spent
# waiting on a broker, a child process or a timer, and at one per core the cores sat
# about 40 % idle (ctest 592 s at -j2, 386 s at -j4 on 2 cores). No test may depend on
# how busy the machine is, so this is also a standing check of that.
TEST_JOBS ?= $(shell echo $$(( $$(nproc) * 2 )))

.PHONY: all deps build test test-arm64 fuzz drills scale demo install deb bench format format-check clean

all: build

deps:
	@scripts/install-deps.sh

build:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

# The test run uses an ASan+UBSan build of everything, the binaries included (the short
# fault drills among its tests, docs/drills.md); then the integration tests again with
# the wall clock a year ahead; then each fuzz target for 20 s (its own clang build,
# docs/fuzzing.md). The ASan build is a unity build (eight sources a compiler run): the
# tests' Catch and JSON headers are parsed once per batch instead of once per file, which
# more than halves the build; `make build` stays one file at a time, so both must compile.
test: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DPRM_SANITIZE=ON \
	  -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=8 >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(TEST_JOBS) --timeout 300
	scripts/test-calendar.sh $(ASAN_BUILD) $(TEST_JOBS)
	scripts/fuzz.sh $(FUZZ_BUILD) 20 $(JOBS)

# Cross-build for arm64 gateways (docs/arm64.md): the cross compiler, qemu and the arm64
# libraries are installed only here, never by `make test`. Release, no sanitizers; the
# unit tests run under qemu-aarch64 (the toolchain's CMAKE_CROSSCOMPILING_EMULATOR).
# The integration tests are left out: they exec the arm64 binaries, which needs binfmt_misc.
# Integration tests in which an arm64 process starts another arm64 binary (prm-sim network
# starting its agents, scripts/demo.sh): that needs binfmt_misc, which the tests cannot
# assume (docs/arm64.md); every other integration test runs under qemu too.
ARM64_NEEDS_BINFMT := ^integration_(demo|network):|^integration_board:the web board after the small network
test-arm64: deps
	scripts/install-deps-arm64.sh
	cmake -S . -B $(ARM64_BUILD) -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake \
	  -DCMAKE_BUILD_TYPE=Release -DPRM_SANITIZE=OFF >/dev/null
	cmake --build $(ARM64_BUILD) -j $(JOBS)
	file $(ARM64_BUILD)/bin/prm-agent
	cd $(ARM64_BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 300 -L unit
	cd $(ARM64_BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 300 -L integration \
	  -E '$(ARM64_NEEDS_BINFMT)'

# The fault drills in full (docs/drills.md): a bad link, a full disk, 1,000 power cuts, a
# corrupt database, clock steps, a RabbitMQ node dying; each prints one figure. make test
# runs the short ones.
drills: deps build
	scripts/drill.sh $(BUILD)

# SCALE_AGENTS real agents against one mosquitto, then two reconnect storms (docs/scale.md).
scale: deps build
	scripts/scale.sh $(BUILD) $(SCALE_AGENTS)

# Each fuzz target for FUZZ_SECONDS; new corpus entries and crashes stay under FUZZ_BUILD.
fuzz: deps
	scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(JOBS)

demo: deps build
	scripts/demo.sh $(BUILD)

install: build
	cmake --install $(BUILD)
	scripts/post-install.sh $(PREFIX)

# The Debian package, into $(BUILD)/deb (docs/debian-package.md); installs its own build
# packages when they are missing.
deb:
	scripts/deb.sh $(BUILD)/deb $(JOBS)

bench: deps build
	scripts/bench.sh $(BUILD)
	scripts/bench-network.sh $(BUILD)
	scripts/bench-board.sh $(BUILD)

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

format-check:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run -Werror

clean:
	rm -rf $(BUILD)
