#!/usr/bin/env python3
"""The clerks' web page in a real browser: Debian's chromium driven by chromedriver over
WebDriver (selenium). Starts the real `anyqtama serve --register` (SQLite, or PostgreSQL when
ANYQTAMA_TEST_POSTGRES is set), opens the page, signs in, registers an act through the form
(first with a mistake, shown at its field), sees its number in the table, switches to Russian,
follows the conclusion link from the browser (with its session) and checks the PDF's text.
A screenshot of each page is saved under target/web-screenshots/.

Run by .ci/browser.sh (which installs chromium, chromium-driver and selenium in a venv):
    python tests/browser/web_register.py [path/to/anyqtama]
Without chromium or chromedriver it says loudly that it was skipped (exit 0), and fails under
CI=true.
"""

import base64
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "target" / "web-screenshots"
TODAY = "2026-11-30"
ACT = ROOT / "samples" / "register-acts" / "2026-11-05-karaganda-land-tax.yaml"


def skip(why):
    print(f"\n!!! SKIPPED the browser test: {why} (bash .ci/browser.sh installs it)\n", file=sys.stderr)
    if os.environ.get("CI") == "true":
        print("CI=true: the browser test must run", file=sys.stderr)
        sys.exit(1)
    sys.exit(0)


def fail(message):
    print(f"FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def act_fields():
    """The act form's inputs for the sample act: (name, value), as the page names them."""
    import yaml  # PyYAML, installed with selenium by .ci/browser.sh

    data = yaml.safe_load(ACT.read_text(encoding="utf-8"))
    out = []

    def walk(value, path):
        if isinstance(value, dict):
            for k, v in value.items():
                if (k == "form" and not path) or k == "en":
                    continue
                walk(v, f"{path}.{k}" if path else k)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{path}[{i}]")
        elif value is True:
            out.append((path, "true"))
        elif value is False or value is None:
            pass
        else:
            out.append((path, str(value)))

    walk(data, "")
    return out


def start_server(binary, workdir):
    tokens = workdir / "tokens.txt"
    tokens.write_text("t-karaganda 09 Aigerim Nurlanovna\n", encoding="utf-8")
    pg = os.environ.get("ANYQTAMA_TEST_POSTGRES")
    if pg:
        name = f"anyqtama_web_{os.getpid()}"
        psql = shutil.which("psql") or next(Path("/usr/lib/postgresql").glob("*/bin/psql"), None)
        subprocess.run([str(psql), pg, "-q", "-c", f"CREATE DATABASE {name}"], check=True)
        db = pg.rsplit("/", 1)[0] + "/" + name
        print(f"register: PostgreSQL database {name}")
    else:
        db = str(workdir / "register.db")
        print("register: SQLite (set ANYQTAMA_TEST_POSTGRES for PostgreSQL)")
    subprocess.run([binary, "register", "--db", db, "init", "--start-number", "09=6010"], check=True)
    env = dict(os.environ, ANYQTAMA_TODAY=TODAY)
    server = subprocess.Popen(
        [binary, "serve", "--addr", "127.0.0.1:0", "--register", db, "--tokens", str(tokens)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    line = server.stdout.readline().strip()
    check(line.startswith("listening on "), f"the server said {line!r}")
    return server, line.removeprefix("listening on "), (pg, db)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target" / "debug" / "anyqtama")
    chromedriver = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not chromedriver:
        skip("no chromedriver (Debian package chromium-driver)")
    if not chromium:
        skip("no chromium")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.support.ui import Select, WebDriverWait
    except ImportError:
        skip("no selenium (pip install selenium in a venv)")
    check(Path(binary).exists(), f"no binary at {binary} (cargo build)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*"):
        old.unlink()

    workdir = Path(tempfile.mkdtemp(prefix="anyqtama-web-"))
    server, base, (pg, db) = start_server(binary, workdir)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    # No background connections: the machines CI runs on have a closed network, where chromium's
    # own update, sync and field-trial requests are refused, many at a time, while the test runs.
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--window-size=1400,900", "--lang=ru-RU", f"--user-data-dir={workdir / 'profile'}"]:
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    shots = []

    def shot(name):
        # The whole page: the window made as tall as the document first.
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1400, max(900, min(height + 140, 6000)))
        path = SHOTS / f"{len(shots) + 1:02d}-{name}.png"
        driver.save_screenshot(str(path))
        driver.set_window_size(1400, 900)
        shots.append(path)
        print(f"screenshot {path.relative_to(ROOT)}")

    def click(element):
        """Clicks and waits for the next page to load.

        The page being left is marked with a `window` property; a new document has a new
        `window`, so the next page has loaded when the mark is gone and the document is
        complete. (Waiting for the old `<html>` element to go stale raced with chromium 156, whose
        driver sometimes answers "Node with given id does not belong to the document" instead of
        "stale element" while the old document is being torn down.) While the navigation is under
        way the driver may refuse the script; that only means "not yet".
        """
        driver.execute_script("window.anyqtamaLeaving = true")
        element.click()

        def next_page_loaded(d):
            try:
                return d.execute_script(
                    "return window.anyqtamaLeaving === undefined && document.readyState === 'complete'")
            except WebDriverException:
                return False

        WebDriverWait(driver, 20).until(next_page_loaded, "the next page did not load")

    def text():
        return driver.find_element(By.TAG_NAME, "body").text

    def fill(fields):
        for name, value in fields:
            element = driver.find_element(By.NAME, name)
            kind = element.get_attribute("type")
            if element.tag_name == "select":
                Select(element).select_by_value(value)
            elif kind == "checkbox":
                if element.is_selected() != (value == "true"):
                    element.click()
            elif kind == "date":
                driver.execute_script("arguments[0].value = arguments[1]", element, value)
            else:
                element.clear()
                element.send_keys(value)

    try:
        # 1. The register needs a token: the browser lands on the sign-in page, in Kazakh.
        driver.get(base + "/")
        check("/signin" in driver.current_url, f"not sent to sign in: {driver.current_url}")
        check("Жүйеге кіру" in text(), "the sign-in page is not in Kazakh")
        shot("signin-kk")
        driver.find_element(By.ID, "token").send_keys("t-karaganda")
        click(driver.find_element(By.ID, "signin-submit"))
        check(driver.current_url.startswith(base + "/register"), f"after sign-in: {driver.current_url}")
        check("Aigerim Nurlanovna" in text(), "the clerk is not named")
        check("Мемлекеттік тіркеу күні" in text(), "no Kazakh column heading")
        shot("register-empty-kk")

        # 2. The act form; first with the Russian title left out.
        click(driver.find_element(By.ID, "nav-new"))
        fields = act_fields()
        fill([(k, v) for k, v in fields if k != "act.title.ru"])
        shot("act-form-kk")
        click(driver.find_element(By.ID, "submit"))
        title = driver.find_element(By.CSS_SELECTOR, '[data-field="act.title"]')
        check("орысша мәтін жоқ (ru)" in title.text, f"no Kazakh error at act.title: {title.text!r}")
        shot("act-form-error-kk")
        fill([(k, v) for k, v in fields if k == "act.title.ru"])
        click(driver.find_element(By.ID, "submit"))
        check("/register/6010-09" in driver.current_url, f"not registered: {driver.current_url}\n{text()}")
        check("Акт тіркелді: № 6010-09" in text(), "no number on the entry page")
        stamp_loaded = "const i = document.querySelector('figure.stamp img'); return i.complete && i.naturalWidth > 0"
        WebDriverWait(driver, 20).until(lambda d: d.execute_script(stamp_loaded), "the stamp preview did not load")
        shot("entry-kk")

        # 3. The number in the table, then the table in Russian.
        click(driver.find_element(By.LINK_TEXT, "Тізілім"))
        row = driver.find_element(By.ID, "n-6010-09")
        check("6010-09" in row.text and "жер салығының" in row.text, f"row: {row.text!r}")
        shot("register-kk")
        click(driver.find_element(By.LINK_TEXT, "Русский"))
        check("Дата государственной регистрации" in text(), "no Russian column heading")
        row = driver.find_element(By.ID, "n-6010-09")
        check("О корректировке базовых ставок" in row.text, f"row in ru: {row.text!r}")
        shot("register-ru")

        # 4. The conclusion link, followed by the browser with its session.
        link = row.find_element(By.CSS_SELECTOR, "a.conclusion").get_attribute("href")
        fetched = driver.execute_async_script(
            """const done = arguments[arguments.length - 1];
            fetch(arguments[0]).then(async r => {
              const bytes = new Uint8Array(await r.arrayBuffer());
              let s = ""; for (const b of bytes) s += String.fromCharCode(b);
              done({status: r.status, type: r.headers.get("content-type"), body: btoa(s)});
            }).catch(e => done({status: 0, type: String(e), body: ""}));""",
            link,
        )
        check(fetched["status"] == 200, f"conclusion: {fetched['status']} {fetched['type']}")
        pdf = base64.b64decode(fetched["body"])
        check(pdf.startswith(b"%PDF"), "the conclusion is not a PDF")
        pdf_path = SHOTS / "conclusion-6010-09.pdf"
        pdf_path.write_bytes(pdf)
        extracted = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf_path), "-"],
                                   capture_output=True, text=True, check=True).stdout
        check("6010-09" in extracted, "the conclusion's text has no number")
        check("Қарағанды облыстық мәслихаты" in extracted, "the conclusion's text has no submitting body")
        driver.get(link)  # what a click shows: the PDF in the browser
        time.sleep(1)
        shot("conclusion")

        # 5. The entry page in Russian, then sign-out.
        driver.get(base + "/register/6010-09?lang=ru")
        check("Государственная регистрация № 6010-09" in text(), "entry page in ru")
        shot("entry-ru")
        click(driver.find_element(By.ID, "signout"))
        check("Вы вышли." in text(), "not signed out")
        shot("signed-out-ru")
        driver.get(base + "/register")
        check("/signin" in driver.current_url, "the session outlived sign-out")
    finally:
        driver.quit()
        server.terminate()
        server.wait()
        if pg:
            name = db.rsplit("/", 1)[1]
            psql = shutil.which("psql") or next(Path("/usr/lib/postgresql").glob("*/bin/psql"), None)
            subprocess.run([str(psql), pg, "-q", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"])
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"browser test passed: {len(shots)} screenshots in {SHOTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
