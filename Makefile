# Hexplan: two commands do all the set-up on a fresh machine.
#   make run    installs what is missing, builds the release site and serves it on http://127.0.0.1:3000
#   make test   installs what is missing (Chromium, PostgreSQL included) and runs every test,
#               the Rust suite once on SQLite and once on PostgreSQL
#   make bench  measures download sizes and server speed; figures go in BENCHMARKS.md
#   make bench-postgres  the same with the database on PostgreSQL
#   make bench-plans  the same across 300 plans in one deployment (bench-plans-postgres too)
#   make bench-live  measures a live peer review session with 500 participants on WebSockets
#   make bench-import  times setting a plan up from its workbook (demonstration, 300 indicators × 40 quarters)
# Every step installs only when the pinned version is missing, and only from crates.io, npm
# or Debian's packages.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

CARGO_LEPTOS_VERSION := 0.3.11
WASM_BINDGEN_VERSION := 0.2.130
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
SERVER := $(TARGET_DIR)/release/hexplan
# A throwaway PostgreSQL on loopback for the tests and benchmarks (see the script).
PG := $(CURDIR)/server/tests/postgres.sh
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/frontend/node_modules/.bin:$(PATH)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test bench bench-postgres bench-plans bench-plans-postgres bench-live bench-import build setup toolchain tools npm chromium unit unit-postgres e2e clean

run: build
	$(SERVER) --address 127.0.0.1:3000 --data-dir data --site-root target/site --demo

test: setup chromium unit unit-postgres build e2e

bench: build
	cargo run --release -p server --example bench -- --server $(SERVER) --site-root target/site

# The same benchmark with every data set on a throwaway PostgreSQL on loopback.
bench-postgres: build
	url=$$($(PG) start) && trap '$(PG) stop' EXIT && \
		cargo run --release -p server --example bench -- --server $(SERVER) --site-root target/site --postgres $$url

# A deployment of 300 plans (300 indicators, 40 quarters each) served by one process, under
# load spread over every plan; PLANS=30 for a quicker run.
PLANS ?= 300
bench-plans: build
	cargo run --release -p server --example plans_bench -- --server $(SERVER) --site-root target/site --plans $(PLANS)

bench-plans-postgres: build
	url=$$(HEXPLAN_TEST_PG_MAX_CONNECTIONS=1000 $(PG) start) && trap '$(PG) stop' EXIT && \
		cargo run --release -p server --example plans_bench -- --server $(SERVER) --site-root target/site --plans $(PLANS) --postgres $$url

bench-import: build
	cargo run --release -p server --example import_bench -- --server $(SERVER) --site-root target/site

bench-live: build
	cargo run --release -p server --example live_bench -- --server $(SERVER) --site-root target/site

# --precompress writes each of the site's files beside itself compressed once, at brotli's and
# gzip's best levels, for the server to send as they are.
build: setup
	cargo leptos build --release --precompress

setup: toolchain tools npm

# The toolchain rust-toolchain.toml names, with its wasm32 target (rustup installs nothing
# by itself here).
toolchain:
	@rustup toolchain install

# cargo-leptos, and the wasm-bindgen CLI of exactly the version Cargo.lock pins. Without
# --locked for wasm-bindgen: its lock file names a crate release crates.io no longer serves.
tools: toolchain
	@if [ "$$(cargo leptos --version 2>/dev/null)" != "cargo-leptos $(CARGO_LEPTOS_VERSION)" ]; then \
		cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked; fi
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
		cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); fi

# wasm-opt (binaryen), ECharts and the DejaVu fonts come from npm, pinned by
# frontend/package-lock.json; ECharts and the fonts (for the map as PNG) are copied into the
# site's own assets. `npm ci` runs only when a lock file changed
# since the last install (a copy of it is kept beside the installed packages).
npm:
	@for dir in frontend end2end; do \
		cmp -s $$dir/package-lock.json $$dir/node_modules/.installed-lock.json || \
		{ (cd $$dir && npm ci --no-audit --no-fund) && cp $$dir/package-lock.json $$dir/node_modules/.installed-lock.json; }; \
	done
	@mkdir -p public/vendor/fonts && cp frontend/node_modules/echarts/dist/echarts.common.min.js public/vendor/
	@cp frontend/node_modules/dejavu-fonts-ttf/ttf/DejaVuSansCondensed.ttf frontend/node_modules/dejavu-fonts-ttf/ttf/DejaVuSansCondensed-Bold.ttf public/vendor/fonts/

# Debian's Chromium for the browser tests; Playwright never downloads a browser here.
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

unit: toolchain
	cargo test -p app --features ssr
	cargo test -p server

# The server's tests again on a throwaway PostgreSQL server on loopback (Debian's PostgreSQL,
# installed when missing), so no query works on one engine only.
unit-postgres: toolchain
	url=$$($(PG) start) && trap '$(PG) stop' EXIT && \
		HEXPLAN_TEST_POSTGRES=$$url cargo test -p server

# The browser tests, with a throwaway PostgreSQL for the two-server test.
e2e: chromium npm
	rm -rf end2end/.data
	url=$$($(PG) start) && trap '$(PG) stop' EXIT && \
		cd end2end && HEXPLAN_TEST_POSTGRES=$$url HEXPLAN_SERVER=$(SERVER) npx playwright test

clean:
	cargo clean
	rm -rf data end2end/.data public/vendor
