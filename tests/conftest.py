"""Hypothesis profiles: `ci` (default; fixed seed, bounded) and `thorough` (nightly-size); the
headless browser the HTML report and explorer tests share.

    HYPOTHESIS_PROFILE=thorough uv run pytest tests/test_properties.py
"""
import gc
import os
import shutil
import signal

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=120, derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# A shell starts a background job (`make test &`) with SIGINT ignored, and its children inherit that:
# the Ctrl-C tests' ptkb would then never see the signal. A handled signal is reset to the default in
# a child, so the ptkb processes these tests start take Ctrl-C as a terminal user's would.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def chromium_path():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


@pytest.fixture(scope="module")
def browser():
    """Playwright driving the system Chromium (no download), per test module (its event loop must not
    outlive the module); skipped with the reason when it or Graphviz is missing (`make test` installs
    Chromium as root)."""
    from explain import dot_available
    if not dot_available():
        pytest.skip("Graphviz 'dot' not installed")
    executable = chromium_path()
    if executable is None:
        pytest.skip("Chromium not found ('make test' installs it as root; else 'sudo apt-get install chromium')")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def browser_context(browser):
    """One browser context per module, at 1400 x 900: a context costs Chromium more than a page."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    yield context
    context.close()


@pytest.fixture(scope="module")
def _module_page(browser_context):
    page = browser_context.new_page()
    yield page
    page.close()


@pytest.fixture
def new_page(browser_context, _module_page):
    """`new_page(**listeners)`: a page in the module's context with the given event listeners (event
    name -> handler). A test's first page is the module's own, reused: opening a page costs Chromium
    about a fifth of a CPU-second. After the test it is taken back to about:blank (a document of its
    own: the next test's first load is a fresh load), without that test's listeners or media
    emulation. Any further page of a test is a new one, closed after it."""
    listening, pages = [], []

    def make(**listeners):
        page = browser_context.new_page() if pages else _module_page
        pages.append(page)
        for event, handler in listeners.items():
            page.on(event, handler)
            listening.append((page, event, handler))
        return page
    yield make
    for page, event, handler in listening:
        page.remove_listener(event, handler)
    for page in pages[1:]:
        page.close()
    if pages:
        _module_page.emulate_media(media="null")
        _module_page.goto("about:blank")


@pytest.fixture
def screenshot(request):
    """`screenshot(page, name)`: the page as a user sees it, saved to the folder named by
    PTKB_SCREENSHOTS (to look at; e.g. `PTKB_SCREENSHOTS=/tmp/shots make test`), else not taken --
    no test reads the pixels, and each costs a few tenths of a second."""
    folder = os.environ.get("PTKB_SCREENSHOTS")

    def take(page, name: str) -> None:
        if folder:
            os.makedirs(folder, exist_ok=True)
            page.screenshot(path=os.path.join(folder, f"{request.node.name}-{name}.png"))
    return take


def pytest_collection_finish(session):
    """The test process's own choice (a library never does this, see engine.quiet_collector): what
    collection built -- modules, engines, compiled rules, scenario lists -- lives for the whole run, so
    the cycle collector is spared walking it again at every full collection."""
    gc.freeze()
