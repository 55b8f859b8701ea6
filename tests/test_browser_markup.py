"""Answers and theme names are text, never markup, on every tab of a real browser: a project whose answers
and a renamed theme carry Markdown images, links, autolinks, HTML and U+202E; a tiny local HTTP server counts
every request the page would make to the addresses planted in them, and none may arrive."""

import http.server
import threading

import numpy as np
import pandas as pd
import pytest

from textmine.app.map import LEGEND_CHARS
from textmine.fmt import name_label
from textmine.project.store import Project

from .test_browser import browser, pytestmark, running_app  # noqa: F401  (browser: the shared fixture)


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):                                              # noqa: N802 (the http.server name)
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def counter():
    """A local server that counts the requests made to it; yields (its address, the paths asked for)."""
    _Counter.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Counter.hits
    server.shutdown()


def planted(base: str) -> tuple[list[str], str]:
    """The answers and the theme name, each pointing at the counting server."""
    answers = [f"Godt svar ![x]({base}/img) om kerneopgaven",
               f"Et billede <img src={base}/i2> i svaret",
               f"Et [link]({base}/l) i svaret",
               f"En adresse {base}/auto i svaret",
               "Borgeren i centrum og kerneopgaven",
               "Mere tid til borgerne",
               "Kerneopgaven er borgeren",
               "Tid og ro til opgaven"]
    name = f"![n]({base}/n) <a href={base}/a>x</a> \u202eomvendt"
    return answers, name


@pytest.fixture(scope="module")
def project(tmp_path_factory, counter):
    base, _ = counter
    answers, name = planted(base)
    tmp = tmp_path_factory.mktemp("markup")
    frame = pd.DataFrame({"respondent_id": [f"R{i}" for i in range(len(answers))], "answer": answers,
                          "cluster": [0, 0, 0, 0, 1, 1, 1, 1]})
    rng = np.random.default_rng(0)
    path = tmp / "markup.sqlite"
    p = Project.create(path, "kerneopgave", frame, vectors=rng.normal(size=(len(answers), 8)).astype(np.float32),
                       coords=rng.normal(size=(len(answers), 2)))
    p.apply("rename", theme_id=0, name=name)
    return path, answers, name


@pytest.fixture(scope="module")
def page(project, browser):
    with running_app(project=project[0]) as url:
        tab = browser.new_page(viewport={"width": 1440, "height": 900})
        tab.goto(url)
        yield tab
        tab.close()


def visible_text(page) -> str:
    """The page's text as a reader sees it (without the zero-width spaces that let long addresses wrap)."""
    return page.locator("body").inner_text().replace("\u200b", "")


def test_no_request_leaves_the_page_and_the_text_is_shown_literally(page, project, counter):
    base, hits = counter
    _, answers, name = project
    shown_name = name.replace("\u202e", "")
    page.locator("#status").get_by_text("version").wait_for(timeout=60_000)
    # Temaer: the theme list, its info line and the answers of the renamed theme
    page.locator("#theme-list label").filter(has_text="![n]").first.click()
    page.locator("#answers").get_by_text(f"![x]({base}/img)").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1500)
    text = visible_text(page)
    for answer in answers[:4]:
        assert answer in text, answer
    listed = page.locator("#theme-list").inner_text()
    assert shown_name in listed and "\u202e" not in listed, listed
    page.get_by_role("tab", name="Hvem siger det?").click()
    page.wait_for_timeout(1500)
    page.get_by_role("tab", name="Gennemse").click()
    page.locator("#review-text-0").wait_for(timeout=30_000)
    page.wait_for_timeout(2000)
    review = visible_text(page)
    assert any(a in review for a in answers[:4]), review
    page.get_by_role("tab", name="Kort").click()
    page.locator("#map .legendtext").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1500)
    legend = " ".join(page.locator("#map .legendtext").all_text_contents())
    assert name_label(shown_name, LEGEND_CHARS) in legend and page.locator(f"#map a[href^='{base}']").count() == 0
    for point in page.locator("#map .scatterlayer .point").all():          # every tooltip: text, no link
        box = point.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(300)
        assert page.locator("#map .hoverlayer a").count() == 0, page.locator("#map .hoverlayer").text_content()
    page.mouse.move(5, 5)
    page.get_by_role("tab", name="Historik").click()
    page.locator("#history table").wait_for(timeout=30_000)
    page.wait_for_timeout(1500)
    assert shown_name in page.locator("#history").inner_text().replace("\u200b", "")
    assert hits == [], hits
    assert page.locator(f"img[src^='{base}'], a[href^='{base}']").count() == 0
