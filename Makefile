# ducha — every command a person runs is a target here.
#   make run     build and open ducha on a demo repository (created in .demo/ on first run)
#   make test    run every test (unit, store, end-to-end)
#   make format  format the sources with swift format

SHELL := /bin/bash
export PATH := $(PATH):/opt/swift/usr/bin
SWIFT ?= swift
DEMO ?= .demo
PREFIX ?= /usr/local
SIZES ?= 1000 10000 100000
BIN := .build/debug/ducha
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

## Release builds link the Swift runtime statically: a command starts in a few milliseconds
## instead of loading a dozen shared libraries. The toolchain's lld packs the position-independent
## binary's relocations (DT_RELR, glibc 2.36+): the loader fixes up a few thousand words
## instead of some 80,000 addresses, and fewer pages are copied on write at every start.
RELEASE = -c release --static-swift-stdlib -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs

.PHONY: run test build deps test-deps format lint install width-tables clean bench

## Install what a fresh Debian 12 machine with only the Swift toolchain lacks.
deps:
	@if ! command -v pkg-config >/dev/null || ! pkg-config --exists ncursesw; then \
	  echo "正在安装 ncursesw 开发包（libncursesw5-dev）……"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libncursesw5-dev pkg-config; \
	fi

test-deps: deps
	@if ! command -v tmux >/dev/null; then \
	  echo "正在安装 tmux（界面的端到端测试需要）……"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq tmux; \
	fi

build: deps
	$(SWIFT) build

run: build
	@if [ ! -f $(DEMO)/ducha.json ]; then $(BIN) --repo $(DEMO) demo; fi
	@$(BIN) --repo $(DEMO)

test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

## Benchmarks (not part of make test): figures printed as a table.
bench: deps
	@command -v task >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq taskwarrior; }
	@python3 -c "import orjson" 2>/dev/null || python3 -m pip install -q orjson
	$(SWIFT) build $(RELEASE) --product ducha
	$(SWIFT) build $(RELEASE) --product ducha-bench
	.build/release/ducha-bench run --data=data $(SIZES)

format:
	$(SWIFT) format --configuration .ci/swift-format.json -i -r -p Package.swift Sources Tests

lint:
	$(SWIFT) format lint --configuration .ci/swift-format.json -r -p Package.swift Sources Tests

## Install the binary and its data (calendars, settings, demo) under PREFIX.
install: deps
	$(SWIFT) build $(RELEASE) --product ducha
	install -d $(PREFIX)/bin $(PREFIX)/share/ducha
	install -m 755 .build/release/ducha $(PREFIX)/bin/ducha
	cp -r data/. $(PREFIX)/share/ducha/

## Regenerate the display-width tables from the C library's wcwidth.
width-tables:
	cc -O2 -o .build/gen-width-tables Tests/Tools/gen-width-tables.c
	.build/gen-width-tables > Sources/DuchaCore/Text/DisplayWidthTables.swift

clean:
	rm -rf .build $(DEMO)
