"""The run's summary of axe-core's moderate and minor violations (tests/website/test_pages.py).

It lives here, not in tests/website/conftest.py, because pytest loads this file in
pytest-xdist's controller too, which collects nothing: the workers send their parts of the
report, and the controller prints it.
"""

import pytest

_AXE_REPORT = pytest.StashKey[dict]()


@pytest.fixture(autouse=True)
def _no_frame_cache(monkeypatch):
    """Widgets in tests draw every frame, unless a test gives them a store of its own."""
    monkeypatch.setenv("LECNOTES_FRAME_CACHE", "off")


@pytest.fixture(scope="session")
def axe_report(request):
    """(page, view) -> axe's moderate and minor violations there, printed after the run."""
    return request.config.stash.setdefault(_AXE_REPORT, {})


def pytest_sessionfinish(session):
    # Under pytest-xdist each worker sends its part of the report to the controller.
    if hasattr(session.config, "workeroutput"):
        report = session.config.stash.get(_AXE_REPORT, {})
        session.config.workeroutput["axe_report"] = [[*key, found] for key, found in report.items()]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist's controller: gather a worker's part of the axe report."""
    report = node.config.stash.setdefault(_AXE_REPORT, {})
    for page, view, found in getattr(node, "workeroutput", {}).get("axe_report", []):
        report[(page, view)] = found


def pytest_terminal_summary(terminalreporter, config):
    report = config.stash.get(_AXE_REPORT, {})
    if report:
        terminalreporter.section("axe-core: moderate and minor violations")
        for (page, view), found in sorted(report.items()):
            terminalreporter.write_line(f"{page} ({view}): {', '.join(found) or 'none'}")
