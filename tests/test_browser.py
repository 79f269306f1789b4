"""A real browser (Debian's chromium, driven by Playwright): open the app, move a lever, run,
see the chart change, download a PNG and a PDF, upload a broken scenario, and open a shared URL."""
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'

if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed (make test installs it)", allow_module_level=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run"]}


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(tmp_path_factory.mktemp("app") / "streamlit.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
         "--client.toolbarMode", "minimal"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def wait_idle(page, timeout=180_000):
    page.wait_for_selector(IDLE, timeout=timeout)


def open_app(page, url):
    page.set_viewport_size({"width": 1400, "height": 1800})
    page.goto(url)
    page.get_by_text("simulerede fremtider").first.wait_for(timeout=240_000)
    wait_idle(page)


def test_move_a_lever_run_and_see_the_chart_change(page, app_url):
    open_app(page, app_url + "/?reps=4")
    stamp = page.locator('[data-testid="stCaptionContainer"]').filter(has_text="scenarie «").first
    before = stamp.inner_text()
    slider = page.get_by_role("slider", name="Frist for virksomhedspraktik (jobparate og forsikrede ledige)")
    slider.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    wait_idle(page)
    assert slider.input_value() == "7"
    page.get_by_role("button", name="Kør simulation").click()
    page.get_by_text("Færdig:").first.wait_for(timeout=240_000)
    wait_idle(page)
    after = stamp.inner_text()
    assert after != before                      # the chart's stamp: another scenario hash
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    assert chart.is_visible()
    assert "internship_deadline_months=7" in page.url


def test_download_png_and_pdf(page, app_url):
    open_app(page, app_url + "/?reps=4")
    page.get_by_role("tab", name="Eksport").click()
    wait_idle(page)
    for label, magic in (("PNG", b"\x89PNG"), ("PDF", b"%PDF")):
        wait_idle(page)                            # a download may rerun the page: wait for it
        page.get_by_role("tab", name="Eksport").click()
        wait_idle(page)
        button = page.get_by_role("button", name=label, exact=True).first
        button.scroll_into_view_if_needed(timeout=120_000)
        with page.expect_download(timeout=120_000) as dl:
            button.click(timeout=120_000)
        data = Path(dl.value.path()).read_bytes()
        assert data.startswith(magic), label


def test_a_shared_url_reproduces_the_lever_values(page, app_url):
    open_app(page, app_url + "/?reps=4&internship_deadline_months=5&youth_education_push=0.4")
    assert page.get_by_role("slider", name="Frist for virksomhedspraktik (jobparate og forsikrede ledige)") \
        .input_value() == "5"
    assert page.get_by_role("slider", name="Uddannelsesindsats for unge (andel omfattet)") \
        .input_value() == "0.4"


def test_a_broken_uploaded_scenario_shows_its_errors_and_keeps_the_levers(page, app_url, tmp_path):
    open_app(page, app_url + "/?reps=4&internship_deadline_months=5")
    bad = tmp_path / "broken.toml"
    bad.write_text('name = "x"\n[levers]\ninternship_deadline_months = 30\nfoo = 1\n', encoding="utf-8")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    page.get_by_text("Scenariefilen kan ikke bruges").wait_for(timeout=60_000)
    wait_idle(page)
    text = page.locator('[data-testid="stAlert"]').first.inner_text()
    assert "internship_deadline_months = 30" in text and "allowed 1–12" in text and "levers.foo" in text
    assert page.get_by_role("slider", name="Frist for virksomhedspraktik (jobparate og forsikrede ledige)") \
        .input_value() == "5"
