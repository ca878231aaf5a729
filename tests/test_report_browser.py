"""The HTML report in a real headless browser (Debian's chromium, driven by Selenium through
Debian's chromedriver): it loads without console errors, its CSP-hashed style and script
run, document text stays inert, the filters and sorting work, and a screenshot is written.

``make test`` installs chromium and chromium-driver (scripts/sysdeps.sh). Set
``STDCOMPARE_SCREENSHOT_DIR`` to also keep a screenshot of the sample water-pair report
there (``report.png``) and of the synthetic report (``report-sample.png``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_sample import WATER, sample_comparison, water_comparison

pytestmark = pytest.mark.browser

# Flags that keep Chromium quiet on a closed network and inside a container.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--window-size=1400,1000",
)


def _find(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    chromium = _find("chromium", "chromium-browser")
    driver_bin = _find("chromedriver")
    if chromium is None or driver_bin is None:
        if os.environ.get("CI"):
            pytest.fail("chromium/chromedriver missing: run `make sysdeps` (scripts/sysdeps.sh)")
        pytest.skip("chromium and chromium-driver are not installed (make sysdeps)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed (pip install -e '.[dev]')")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_bin))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _open(driver: Any, path: Path) -> list[dict[str, Any]]:
    driver.get(path.as_uri())
    driver.execute_script("return document.readyState")
    return [e for e in driver.get_log("browser") if e.get("level") in ("SEVERE", "WARNING")]


def _visible_rows(driver: Any, table_id: str) -> int:
    return int(
        driver.execute_script(
            f"return Array.from(document.querySelectorAll('#{table_id} tbody tr'))"
            ".filter(function (r) {{ return !r.hidden && r.offsetParent !== null; }}).length"
        )
    )


def _screenshot(driver: Any, path: Path) -> Path:
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    driver.set_window_size(1400, max(800, min(height + 40, 6000)))
    driver.execute_script("window.scrollTo(0, 0)")
    path.parent.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000 and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return path


def _keep(shot: Path, name: str) -> None:
    target = os.environ.get("STDCOMPARE_SCREENSHOT_DIR")
    if target:
        out = Path(target)
        out.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, out / name)


def test_report_in_headless_chromium(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    c = sample_comparison()
    report = tmp_path / "report.html"
    c.to_html(report, company="Example Export Co., Ltd.", lei="5493001KJTIIGC8Y1R12")
    problems = _open(browser, report)
    assert problems == [], problems

    # document text is shown as text and never ran
    assert browser.execute_script("return window.pwned === undefined")
    assert browser.execute_script("return document.images.length") == 0
    assert "<script>window.pwned=1</script>" in browser.find_element(By.ID, "documents").text
    # the hashed stylesheet applied (a CSP mismatch would leave the bars unstyled) …
    fill = browser.execute_script(
        "return getComputedStyle(document.querySelector('rect.v-b_stricter')).fill"
    )
    assert fill == "rgb(198, 90, 90)"
    # … and the hashed script ran (it labels the sortable headers)
    assert browser.execute_script("return document.querySelector('#gaps th').title") == "sort"

    total = len(c.gap_list)
    assert _visible_rows(browser, "gaps") == total
    box = browser.find_element(By.ID, "gap-search")
    box.send_keys("uranium")
    assert _visible_rows(browser, "gaps") == 1
    assert browser.find_element(By.ID, "gap-shown").text == "1"
    box.clear()
    box.send_keys(" ")  # an input event with an empty query shows everything again
    assert _visible_rows(browser, "gaps") == total
    browser.find_element(By.CSS_SELECTOR, "input.verdict-filter[value='b_stricter']").click()
    assert _visible_rows(browser, "gaps") == total - c.summary["b_stricter"]
    browser.find_element(By.CSS_SELECTOR, "input.verdict-filter[value='b_stricter']").click()

    # sorting by "Stricter by" puts the largest factor first, empty cells last
    header = browser.find_element(By.XPATH, "//table[@id='gaps']//th[text()='Stricter by']")
    header.click()
    header.click()
    first = browser.execute_script("return document.querySelector('#gaps tbody tr td').textContent")
    assert first == "lead"

    # clause pairs: only the flagged ones (review or strength mismatch)
    assert _visible_rows(browser, "pairs") == 3
    browser.find_element(By.ID, "pair-flagged").click()
    assert _visible_rows(browser, "pairs") == 2
    assert browser.get_log("browser") == []

    shot = _screenshot(browser, tmp_path / "report.png")
    _keep(shot, "report-sample.png")


@pytest.mark.slow
def test_water_pair_report_in_headless_chromium(
    browser: Any, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The report of the sample pair GB 5749—2022 vs Directive (EU) 2020/2184."""
    from selenium.webdriver.common.by import By

    if not all(p.is_file() for p in WATER):
        pytest.skip("corpora/water PDFs not present")
    c = water_comparison(tmp_path_factory)
    report = tmp_path / "water.html"
    c.to_html(report)
    assert _open(browser, report) == []
    total = len(c.gap_list)
    assert total > 0 and _visible_rows(browser, "gaps") == total
    for verdict in c.summary:
        browser.find_element(By.CSS_SELECTOR, f"input.verdict-filter[value='{verdict}']").click()
    assert _visible_rows(browser, "gaps") == 0
    for verdict in c.summary:
        browser.find_element(By.CSS_SELECTOR, f"input.verdict-filter[value='{verdict}']").click()
    name = c.gap_list[0].parameter
    browser.find_element(By.ID, "gap-search").send_keys(name)
    shown = _visible_rows(browser, "gaps")
    assert (
        1
        <= shown
        == sum(
            1
            for row in browser.find_elements(By.CSS_SELECTOR, "#gaps tbody tr")
            if row.is_displayed() and name.lower() in row.text.lower()
        )
    )
    browser.find_element(By.ID, "gap-search").clear()
    browser.find_element(By.ID, "gap-search").send_keys(" ")
    assert browser.get_log("browser") == []
    shot = _screenshot(browser, tmp_path / "water.png")
    _keep(shot, "report.png")
