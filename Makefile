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
## libstdc++ (the runtime's C++ library) is linked statically too (.ci/static holds linker
## scripts found before the shared libraries): the loader's symbol lookups at each start
## drop from ~2,300 to ~600. So are ncursesw, tinfo and the unwinder (libgcc_eh for
## libgcc_s): the loader maps two shared libraries (libc, libm) instead of five, about a sixth
## of what `ducha add` cost at 1,000 items.
## The compiler is told to reach the metadata of generic types such as Dictionary<String, String>
## by direct accessors rather than by mangled names: each of those was demangled at run time and
## its generic requirements checked by a linear scan of some 4,600 conformance records, about a
## fifth of what `ducha add` did at 1,000 items.
## No symbol of ducha's own code is exported (.ci/local-symbols.map): the static runtime links
## with --export-dynamic, and at every start its crash handler looks up its own address with
## dladdr, a linear scan of the ~10,000 exported symbols that also faults their pages in.
## No $ORIGIN run path: the loader looked for each of the five system libraries in eleven
## folders beside the binary first (glibc ignores $ORIGIN in a setuid program anyway).
RELEASE = -c release --disable-local-rpath --static-swift-stdlib -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs \
	-Xswiftc -L$(CURDIR)/.ci/static \
	-Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors \
	-Xlinker --version-script=$(CURDIR)/.ci/local-symbols.map

.PHONY: run test test-hosts build deps test-deps format lint install width-tables clean bench

## Install what a fresh Debian 12 machine with only the Swift toolchain lacks.
deps:
	@if ! command -v pkg-config >/dev/null || ! pkg-config --exists ncursesw || ! pkg-config --exists libxml-2.0; then \
	  echo "正在安装 ncursesw 和 libxml2 开发包（libncursesw5-dev、libxml2-dev；读 .xlsx 的 FoundationXML 要用 libxml2）……"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libncursesw5-dev libxml2-dev pkg-config; \
	fi

test-deps: deps
	@if ! command -v tmux >/dev/null || ! command -v zsh >/dev/null || ! command -v groff >/dev/null \
	    || ! command -v man >/dev/null; then \
	  echo "正在安装 tmux、zsh、groff、man-db（界面、补全和手册页的测试需要）……"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq tmux zsh groff-base man-db; \
	fi
	@if ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null || ! fc-list | grep -q "Noto Serif CJK SC" \
	    || ! fc-list | grep -q "AR PL KaitiM GB"; then \
	  echo "正在安装 LibreOffice、poppler 和中文字体（Excel、Word 文件的测试需要，较大，只装一次）……"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	    libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-noto-cjk fonts-arphic-gkai00mp; \
	fi
	@python3 -c "import openpyxl, docx" 2>/dev/null || { echo "正在安装 openpyxl 和 python-docx（读回 Excel、Word 文件）……"; \
	  python3 -m pip install -q openpyxl python-docx; }
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v openssl >/dev/null; then \
	  echo "正在安装 PostgreSQL 和 openssl（PostgreSQL 存储的测试自己启动临时服务器，加密连接的测试自建证书）……"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql openssl; \
	fi

## The two programs make run needs (not the tests, the benchmark or the PostgreSQL store).
build: deps
	$(SWIFT) build --product ducha
	$(SWIFT) build --product ducha-papers

run: build
	@if [ ! -f $(DEMO)/ducha.json ]; then $(BIN) --repo $(DEMO) demo; fi
	@$(BIN) --repo $(DEMO)

## The suites that go through the command line run a second time with their ledgers in
## PostgreSQL (a server the tests start themselves, see Tests/DuchaTestSupport/TestPostgres.swift).
PG_SUITES := ^DuchaEndToEndTests\.(CLITests|BatchTerminalTests|ScoringCLITests|ReliabilityTests|TerminalTests|PostgresCLITests|RecordRightCLITests|UnitNumbersCLITests|IdentityTests|RoleTests|SummaryMeTests|BasisCLITests|EvidenceCLITests|LightHooksCLITests)/|^DuchaOpsTests\.(PlanTests|PersonalSummaryTests|BasisTests)/

test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test
	DUCHA_TEST_BACKEND=postgresql $(SWIFT) test --skip-build --filter '$(PG_SUITES)'

## One database, ducha on two hosts (network namespaces joined by veth pairs; root): 8 processes
## × 200 feedbacks at once, and an interface on one host refreshed by the other. Minutes long,
## so not in make test; .ci/run runs it once.
test-hosts: test-deps
	$(SWIFT) build --build-tests
	DUCHA_TEST_HOSTS=1 $(SWIFT) test --skip-build --filter '^DuchaEndToEndTests\.PostgresHostsTests/'

## Benchmarks (not part of make test): figures printed as a table; the PostgreSQL rows on a
## server the benchmark starts itself (initdb into a temporary folder, a Unix socket only).
bench: deps
	@command -v task >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq taskwarrior; }
	@python3 -c "import orjson" 2>/dev/null || python3 -m pip install -q orjson
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  echo "正在安装 PostgreSQL（基准测试的 PostgreSQL 各行自己启动一个临时服务器）……"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql; \
	fi
	$(SWIFT) build $(RELEASE) --product ducha
	$(SWIFT) build $(RELEASE) --product ducha-pg
	$(SWIFT) build $(RELEASE) --product ducha-bench
	$(SWIFT) build $(RELEASE) --product ducha-bench-pg
	.build/release/ducha-bench run --data=data $(SIZES)

format:
	$(SWIFT) format --configuration .ci/swift-format.json -i -r -p Package.swift Sources Tests

lint:
	$(SWIFT) format lint --configuration .ci/swift-format.json -r -p Package.swift Sources Tests

## Install the binary and its data (calendars, settings, demo) under PREFIX, with the manual
## page ducha(1) (made by the binary from its command definitions) and the bash and zsh
## completion scripts. Run by root
## (sudo make install), it also makes the system account and group ducha when missing and
## installs the binary setuid to that account (not root): the multi-user server setup, which
## `sudo ducha init --system --supervisor LOGIN` completes. INSTALL_BIN installs another
## build without building (the tests install the debug build this way). ducha-papers, the
## helper that writes and reads Excel/Word/CSV files (with Foundation, kept out of ducha itself),
## goes beside it, not setuid: ducha runs it with the user's own rights. ducha-pg, the same
## program with the PostgreSQL store (Foundation again), goes beside it like ducha itself
## (setuid to the service account, whose passfile holds the database password): ducha runs it
## in its place for a postgresql:// repository.
INSTALL_BIN ?=
SERVICE := ducha
install: $(if $(INSTALL_BIN),,deps)
	$(if $(INSTALL_BIN),,$(SWIFT) build $(RELEASE) --product ducha)
	$(if $(INSTALL_BIN),,$(SWIFT) build $(RELEASE) --product ducha-papers)
	$(if $(INSTALL_BIN),,$(SWIFT) build $(RELEASE) --product ducha-pg)
	install -d -m 755 $(PREFIX)/bin $(PREFIX)/share/ducha $(PREFIX)/share/man/man1 \
	  $(PREFIX)/share/bash-completion/completions $(PREFIX)/share/zsh/site-functions
	cp -r data/. $(PREFIX)/share/ducha/
	chmod -R u+rwX,go+rX,go-w $(PREFIX)/share/ducha
	$(or $(INSTALL_BIN),.build/release/ducha) __man > $(PREFIX)/share/man/man1/ducha.1.tmp
	mv -f $(PREFIX)/share/man/man1/ducha.1.tmp $(PREFIX)/share/man/man1/ducha.1
	chmod 644 $(PREFIX)/share/man/man1/ducha.1
	install -m 644 completion/ducha.bash $(PREFIX)/share/bash-completion/completions/ducha
	install -m 644 completion/_ducha $(PREFIX)/share/zsh/site-functions/_ducha
	install -m 755 $(dir $(or $(INSTALL_BIN),.build/release/ducha))ducha-papers $(PREFIX)/bin/ducha-papers
	@if [ "$$(id -u)" -eq 0 ]; then \
	  if ! id -u $(SERVICE) >/dev/null 2>&1; then \
	    if getent group $(SERVICE) >/dev/null; then group="--gid $(SERVICE)"; else group="--user-group"; fi; \
	    echo "正在建立系统账户 $(SERVICE)（台账只归它所有）……"; \
	    useradd --system $$group --home-dir /var/lib/ducha --no-create-home --shell /usr/sbin/nologin $(SERVICE) || exit 1; \
	  fi; \
	  install -o $(SERVICE) -g $(SERVICE) -m 4755 $(dir $(or $(INSTALL_BIN),.build/release/ducha))ducha-pg $(PREFIX)/bin/ducha-pg && \
	  install -o $(SERVICE) -g $(SERVICE) -m 4755 $(or $(INSTALL_BIN),.build/release/ducha) $(PREFIX)/bin/ducha && \
	  echo "已安装 $(PREFIX)/bin/ducha（以系统账户 $(SERVICE) 运行，setuid）。下一步：sudo ducha init --system --supervisor 登录名"; \
	else \
	  install -m 755 $(dir $(or $(INSTALL_BIN),.build/release/ducha))ducha-pg $(PREFIX)/bin/ducha-pg && \
	  install -m 755 $(or $(INSTALL_BIN),.build/release/ducha) $(PREFIX)/bin/ducha && \
	  echo "已安装 $(PREFIX)/bin/ducha（单用户：台账在各用户自己的数据目录里）。多用户服务器请用 sudo make install"; \
	fi

## Regenerate the display-width tables from the C library's wcwidth.
width-tables:
	cc -O2 -o .build/gen-width-tables Tests/Tools/gen-width-tables.c
	.build/gen-width-tables > Sources/DuchaCore/Text/DisplayWidthTables.swift

clean:
	rm -rf .build $(DEMO)
