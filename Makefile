# gitfleet: `make demo` and `make test` are all a fresh Debian machine needs.
SWIFT ?= swift
APT_PACKAGES := libgit2-dev libyaml-dev libssl-dev pkg-config git
CONFIG ?= debug

.PHONY: all deps build release test demo clean

all: build

# Installs the C libraries gitfleet links against when they are missing. As root it runs
# apt-get; otherwise it prints the exact command and stops.
deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "missing packages; run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

build: deps
	$(SWIFT) build -c $(CONFIG)

# The binary to install: the Swift runtime linked in, so it starts in half the time (cron
# starts it every minute) and needs only libgit2, libyaml and OpenSSL on the host.
release: deps
	$(SWIFT) build -c release --static-swift-stdlib
	@echo "built $$($(SWIFT) build -c release --static-swift-stdlib --show-bin-path)/gitfleet"

# Every test is Swift Testing; -q keeps the output to failures and the closing count.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-xctest -q

# The debug build is the one `make test` uses, so the two commands share one build.
demo: deps
	$(SWIFT) build
	./docs/demo.sh "$$($(SWIFT) build --show-bin-path)/gitfleet"

clean:
	rm -rf .build
