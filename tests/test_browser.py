"""A real browser (Debian's chromium, driven by Playwright): open the app, move a lever, run,
see the chart and the scenario's name change, download a PNG, a PDF and the council pack (and
check every chart in it), upload a broken scenario, open a shared URL, and leave screenshots of
every tab at 1400 and 800 px in test-artifacts/screenshots/ for a reviewer."""
import io
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'
DEADLINE = "Frist for virksomhedspraktik (jobparate og forsikrede ledige)"
BLUE, RED = (0x1f, 0x5b, 0x99), (0xc0, 0x39, 0x2b)
WIDTHS = [1400, 800]

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


def press_on(page, slider, key, value, timeout=30.0, again_after=5.0):
    """Press ``key`` on the slider once the page is idle, and wait until it shows ``value``: each
    step reruns the page, and a key pressed while a rerun redraws the slider can be lost. A planner
    then sees the slider not move and presses again: so does this, once the page is idle and the
    slider still shows what it showed before the press (never past the value wanted)."""
    wait_idle(page)
    before = slider.input_value()
    slider.focus()
    page.keyboard.press(key)
    end = time.monotonic() + timeout
    pressed = time.monotonic()
    while slider.input_value() != value and time.monotonic() < end:
        page.wait_for_timeout(100)
        if time.monotonic() - pressed > again_after and slider.input_value() == before:
            wait_idle(page)
            if slider.input_value() == before:          # the press was lost
                slider.focus()
                page.keyboard.press(key)
            pressed = time.monotonic()
    assert slider.input_value() == value


def open_app(page, url, width=1400):
    page.set_viewport_size({"width": width, "height": 1800})
    page.goto(url)
    page.get_by_text("simulerede fremtider.").first.wait_for(timeout=240_000)
    wait_idle(page)


def open_tab(page, name):
    page.get_by_role("tab", name=name).click()
    page.wait_for_function(f"[...document.querySelectorAll('[role=tab]')].some(t => t.textContent.includes("
                           f"'{name}') && t.getAttribute('aria-selected') === 'true')", timeout=60_000)
    wait_idle(page)


def selected_tab(page) -> str:
    return page.locator('[role="tab"][aria-selected="true"]').inner_text()


def colour(a, rgb, tol=25) -> int:
    return int(np.sum((abs(a[..., 0] - rgb[0]) < tol) & (abs(a[..., 1] - rgb[1]) < tol) & (abs(a[..., 2] - rgb[2]) < tol)))


def test_move_a_lever_run_and_see_the_chart_change(page, app_url):
    open_app(page, app_url + "/?reps=4")
    stamp = page.locator('[data-testid="stCaptionContainer"]').filter(has_text="scenarie «").first
    before = stamp.inner_text()
    slider = page.get_by_role("slider", name=DEADLINE)
    for value in ("4", "5", "6", "7"):
        press_on(page, slider, "ArrowRight", value)
    wait_idle(page)
    assert slider.input_value() == "7"
    page.get_by_role("button", name="Kør simulation").click()
    expect(stamp).not_to_have_text(before, timeout=240_000)     # wait for the new run's stamp
    page.get_by_text("Færdig:").first.wait_for(timeout=240_000)
    wait_idle(page)
    after = stamp.inner_text()
    assert after != before                      # the chart's stamp: another scenario hash
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    assert chart.is_visible()
    assert "internship_deadline_months=7" in page.url


@pytest.mark.parametrize("width", WIDTHS)
def test_a_changed_lever_changes_the_name_in_caption_stamp_and_saved_file(page, app_url, width):
    open_app(page, app_url + "/?reps=4", width)
    slider = page.get_by_role("slider", name=DEADLINE)
    slider.focus()
    for _ in range(2):
        page.keyboard.press("ArrowLeft")
    page.get_by_text("Eget scenarie (ændret fra Beskæftigelsesplan 2017)").first.wait_for(timeout=60_000)
    wait_idle(page)
    page.get_by_role("button", name="Kør simulation").click()
    stamp = page.locator('[data-testid="stCaptionContainer"]').filter(
        has_text="Scenarie «Eget scenarie (ændret fra Beskæftigelsesplan 2017)»").first
    stamp.wait_for(timeout=240_000)
    wait_idle(page)
    assert "frø 1, 4 fremtider" in stamp.inner_text()
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name="Gem håndtagene som scenariefil").click()
    saved = tomllib.loads(Path(dl.value.path()).read_text(encoding="utf-8"))
    assert saved["name"] == "Eget scenarie (ændret fra Beskæftigelsesplan 2017)"
    assert "Frist for virksomhedspraktik" in saved["description"] and "3 → 1" in saved["description"]
    assert "praktik senest efter 3 måneder" not in saved["description"]
    assert saved["levers"]["internship_deadline_months"] == 1


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


@pytest.mark.parametrize("width", WIDTHS)
def test_the_first_download_keeps_the_tab_and_the_council_pack_is_complete_every_time(page, app_url, width):
    """Every chart of the pack holds its line and band (blue) and its targets (red), in PNG and
    in PDF (rasterised), on two downloads in one session; the tab never jumps back."""
    import pypdfium2 as pdfium
    open_app(page, app_url + "/?reps=4", width)
    open_tab(page, "Eksport")
    for attempt in range(2):
        with page.expect_download(timeout=240_000) as dl:
            page.get_by_role("button", name="Rådspakke").click()
        z = zipfile.ZipFile(io.BytesIO(Path(dl.value.path()).read_bytes()))
        time.sleep(0.5)
        wait_idle(page)
        assert selected_tab(page) == "Eksport", attempt
        assert page.locator('[role="tablist"]').count() == 1
        assert page.get_by_role("button", name="Rådspakke").is_visible()
        names = z.namelist()
        assert sum(n.startswith("charts/indicator_") and n.endswith(".png") for n in names) == 7
        for n in names:
            if not n.startswith("charts/") or n.endswith(".svg"):
                continue
            if n.endswith(".png"):
                img = Image.open(io.BytesIO(z.read(n)))
            else:
                pdf = pdfium.PdfDocument(z.read(n))
                assert len(pdf) == 1, n
                img = pdf[0].render(scale=2).to_pil()
            a = np.asarray(img.convert("RGB")).astype(int)
            ink = int(np.sum(a.sum(axis=2) < 600))
            assert ink > 3000, f"{attempt}: {n} is nearly empty"
            if "indicator_" in n:
                blue, red = colour(a, BLUE), colour(a, RED)
                assert blue >= 1500, f"{attempt}: {n} lacks its line (blue={blue})"
                assert "refugees" in n or red >= 300, f"{attempt}: {n} lacks its targets (red={red})"
        summary = pdfium.PdfDocument(z.read("resume.pdf"))
        assert len(summary) == 1


def test_a_shared_url_reproduces_the_lever_values(page, app_url):
    open_app(page, app_url + "/?reps=4&internship_deadline_months=5&youth_education_push=0.4")
    assert page.get_by_role("slider", name=DEADLINE).input_value() == "5"
    assert page.get_by_role("slider", name="Uddannelsesindsats for unge (andel omfattet)") \
        .input_value() == "0.4"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_bad_url_value_shows_a_notice(page, app_url, width):
    open_app(page, app_url + "/?reps=4&internship_deadline_months=40", width)
    notice = page.locator('[data-testid="stAlert"]').filter(has_text="Værdier i linket")
    text = notice.inner_text()
    assert DEADLINE in text and "«40»" in text and "tilladt 1–12" in text
    assert page.get_by_role("slider", name=DEADLINE).input_value() == "3"


def test_a_broken_uploaded_scenario_shows_its_errors_and_keeps_the_levers(page, app_url, tmp_path):
    open_app(page, app_url + "/?reps=4&internship_deadline_months=5")
    bad = tmp_path / "broken.toml"
    bad.write_text('name = "x"\n[levers]\ninternship_deadline_months = 30\nfoo = 1\n', encoding="utf-8")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    page.get_by_text("Scenariefilen kan ikke bruges").wait_for(timeout=60_000)
    wait_idle(page)
    text = page.locator('[data-testid="stAlert"]').filter(has_text="Scenariefilen kan ikke bruges").inner_text()
    assert "internship_deadline_months = 30" in text and "tilladt 1–12" in text and "levers.foo" in text
    assert page.get_by_role("slider", name=DEADLINE).input_value() == "5"


def test_the_progress_bar_moves_through_intermediate_values(page, app_url):
    """A run not seen before (another seed): the bar passes through values between 0 and 100."""
    page.add_init_script("""
        window.__progress = [];
        new MutationObserver(() => {
          for (const bar of document.querySelectorAll('[data-testid="stProgress"] [role="progressbar"]')) {
            window.__progress.push(Number(bar.getAttribute('aria-valuenow')));
          }
        }).observe(document, {subtree: true, childList: true, attributes: true});
    """)
    open_app(page, app_url + "/?reps=12&seed=4242")
    seen = sorted(set(page.evaluate("window.__progress")))
    assert any(0 < v < 100 for v in seen), seen
    assert page.get_by_text("Færdig: 12 fremtider").is_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_of_the_first_screen_and_every_tab(page, app_url, width):
    SHOTS.mkdir(parents=True, exist_ok=True)
    open_app(page, app_url + "/?reps=4", width)
    page.set_viewport_size({"width": width, "height": 1000})
    page.screenshot(path=str(SHOTS / f"{width}-first-screen.png"))
    page.set_viewport_size({"width": width, "height": 3200})
    for name in ("Plan mod simulation", "Sammenlign", "Strømme", "Eksport", "Om modellen"):
        open_tab(page, name)
        page.wait_for_timeout(800)                 # charts draw after the script is idle
        path = SHOTS / f"{width}-{name.lower().replace(' ', '-')}.png"
        page.screenshot(path=str(path))
        assert path.stat().st_size > 20_000


def test_copy_link_puts_the_address_with_the_levers_on_the_clipboard(page, app_url):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_app(page, app_url + "/?reps=4&internship_deadline_months=5")
    page.get_by_role("button", name="Kopiér link").click()
    page.get_by_role("button", name="Link kopieret").wait_for(timeout=10_000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.url and "internship_deadline_months=5" in copied and "reps=4" in copied


def test_english_switches_the_whole_page_and_keeps_the_tab(page, app_url):
    open_app(page, app_url + "/?reps=4")
    open_tab(page, "Strømme")
    page.get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="Employment plan 2017 – will we reach the targets?").wait_for(timeout=120_000)
    wait_idle(page)
    assert selected_tab(page) == "Flows"
    assert page.get_by_role("button", name="Run simulation").is_visible()
    assert "lang=en" in page.url
