# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
# The interpreter of the project's environment: Debian's CPython 3.11 where the machine has it (its
# interpreter is linked into the executable, not called through a shared libpython: ptkb's pure-Python
# engine and the test suite run about a quarter faster than on pyenv's shared build, measured in
# docs/performance.md); elsewhere the Python 3.11 that uv finds. `make test PYTHON=...` picks another.
PYTHON ?= $(firstword $(wildcard /usr/bin/python3.11))
ifneq ($(PYTHON),)
export UV_PYTHON := $(PYTHON)
endif

.PHONY: setup graphviz browser demo test check quick bench lint regress docs figures serve

setup:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv \
		|| python3 -m pip install --quiet --break-system-packages uv
	$(UV) sync --frozen

graphviz:
	@command -v dot >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
		else echo "Graphviz 'dot' is missing: install it with 'sudo apt-get install graphviz'"; fi; }

# Headless Chromium for the HTML report test, tmux for the terminal test of `ptkb ask` (each test
# is skipped with a message where its tool cannot be had).
# $(call optional_tool,COMMAND,DEBIAN PACKAGE,WHICH TEST): install it as root, else say what is skipped.
optional_tool = command -v $(1) >/dev/null 2>&1 || { \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null \
		|| { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; } \
		|| echo "$(1) could not be installed: the $(3) test will be skipped"; \
	else echo "$(1) is missing: the $(3) test will be skipped ('sudo apt-get install $(2)')"; fi; }

browser:
	@$(call optional_tool,tmux,tmux,terminal)
	@$(call optional_tool,chromium,chromium,browser)

demo: setup graphviz
	$(UV) run ptkb demo --out out/demo

# Tests start ptkb in fresh interpreters: with bytecode caches, as an installed program runs, even
# where the shell sets PYTHONDONTWRITEBYTECODE.
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(UV) run pytest -n auto --dist worksteal

test: setup graphviz browser
	$(PYTEST)

# The fast loop for a knowledge engineer: everything but the slow sweeps (marker `slow`).
check: setup graphviz
	$(PYTEST) -m "not slow"

# After each rule edit, in seconds: lint, the safety proofs, and the tests of the knowledge itself
# (every scenario, the KB's own checks, the evaluator against experta, the generated documents).
KB_TESTS := tests/test_kb.py tests/test_scenarios.py tests/test_clinical_edges.py tests/test_vocabulary.py \
	tests/test_tables.py tests/test_evaluator.py tests/test_docs.py
quick: setup
	$(UV) run ptkb lint
	$(UV) run ptkb verify --jobs 2
	$(PYTEST) -m "not slow" $(KB_TESTS)

regress: setup
	$(UV) run ptkb regress scenarios --coverage

# The generated documents: the vocabulary and the rule catalogue (tests check they are current).
docs: setup
	$(UV) run ptkb vocab -o docs/vocabulary.md
	$(UV) run ptkb rules --format md -o docs/rules.md

# The README's drawing (tests/test_docs.py checks it was drawn from the current knowledge and code).
figures: setup graphviz
	$(UV) run python docs/figures.py

lint: setup
	$(UV) run ptkb lint

# The classroom explorer on the demo scenarios: http://127.0.0.1:8000/ (Ctrl-C stops it).
serve: setup graphviz
	$(UV) run ptkb serve scenarios

bench: setup graphviz
	$(UV) run python benchmarks/bench.py
