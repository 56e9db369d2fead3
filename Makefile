# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")

.PHONY: setup graphviz browser demo test check bench lint regress docs

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
browser:
	@command -v tmux >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null \
			|| { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null; } \
			|| echo "tmux could not be installed: the terminal test will be skipped"; \
		else echo "tmux is missing: the terminal test will be skipped ('sudo apt-get install tmux')"; fi; }
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
			|| { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
			|| echo "Chromium could not be installed: the browser test will be skipped"; \
		else echo "Chromium is missing: the browser test will be skipped ('sudo apt-get install chromium')"; fi; }

demo: setup graphviz
	$(UV) run ptkb demo --out out/demo

test: setup graphviz browser
	$(UV) run pytest

# The fast loop for a knowledge engineer: everything but the slow sweeps (marker `slow`).
check: setup graphviz
	$(UV) run pytest -m "not slow"

regress: setup
	$(UV) run ptkb regress scenarios --coverage

# The generated documents: the vocabulary and the rule catalogue (tests check they are current).
docs: setup
	$(UV) run ptkb vocab -o docs/vocabulary.md
	$(UV) run ptkb rules --format md -o docs/rules.md

lint: setup
	$(UV) run ptkb lint

bench: setup graphviz
	$(UV) run python benchmarks/bench.py
