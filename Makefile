# aiwatch build. The SQLite driver needs FTS5, which mattn/go-sqlite3
# compiles in only with the build tag sqlite_fts5: it is set here, once,
# for every go command this Makefile runs.
export GOFLAGS := -tags=sqlite_fts5
export CGO_ENABLED := 1

BIN     := bin/aiwatch
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
# Fuzz budgets are counts of executions, not durations: a duration races
# the end of fuzzing in Go 1.26's coordinator and can fail a target that
# found nothing ("context deadline exceeded", go.dev/issue/75804, fixed in
# Go 1.27). Minimizing a new input is bounded the same way.
FUZZTIME ?= 20000x
FUZZMINIMIZE ?= 2000x
PKGS    := ./...
RACEPKGS := ./store/... ./feeds/... ./ui/...

.PHONY: all build run test test-local vet fuzz bench clean

all: build

build:
	go build -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/aiwatch

## run: build aiwatch and open the dashboard (ARGS="firms" runs a command)
run: build
	./$(BIN) $(ARGS)

## test: everything CI runs, with a throwaway PostgreSQL server for the team
## store's tests (.ci/pg.sh installs and starts one; $AIWATCH_TEST_PG names yours)
test:
	@.ci/pg.sh $(MAKE) --no-print-directory test-local

## test-local: vet, the whole suite (-race on RACEPKGS), then each fuzz target
## briefly; the PostgreSQL tests run when $AIWATCH_TEST_PG names a server
test-local:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	go vet $(PKGS)
	@# The race detector where goroutines share state: the store's group
	@# writer, the refresh pipeline, the dashboard. The rest (cmd, whose
	@# end-to-end tests fork the binary) runs without it.
	go test -race -count=1 $(RACEPKGS)
	go test -count=1 $$(go list $(PKGS) | grep -v -E '/(store|feeds|ui)(/|$$)')
	@# A build without the tag must refuse to open a store and name the tag.
	GOFLAGS= go test -count=1 -run TestRefusesWithoutFTS5 ./store/sqlite/
	$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZTIME)

## fuzz: run every fuzz target for FUZZTIME each
fuzz:
	@set -e; for spec in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs grep -ho '^func Fuzz[A-Za-z0-9_]*' /dev/null | sort -u | sed 's/func //'); do \
		for f in $$(grep -rl --include='*_test.go' "^func $$spec(" .); do \
			d=$$(dirname $$f); echo "fuzz $$d $$spec ($(FUZZTIME))"; \
			go test -run '^$$' -fuzz "^$$spec\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) $$d; \
		done; \
	done

## bench: every benchmark, once
bench:
	go test -run '^$$' -bench . -benchmem $(PKGS)

clean:
	rm -rf bin
