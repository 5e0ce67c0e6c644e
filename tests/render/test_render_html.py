"""The interactive view, loaded in a real browser (Debian's chromium, headless): search, details, zoom to the match.

The page answers ``#search=TEXT`` in its address by searching and showing the first match, so the browser's
own DOM after the scripts ran says what a user would see. A screenshot is written beside the page for a person
to look at (its path is printed with ``-s``).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from vpckit.cli import main

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

if CHROMIUM is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian's chromium for the browser tests (.ci/run does)")
    pytest.skip("chromium is not installed here (CI installs it and runs these tests)", allow_module_level=True)


def _browse(page: Path, fragment: str, screenshot: Path | None = None) -> str:
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1400,900",
            "--virtual-time-budget=5000"]
    args += [f"--screenshot={screenshot}"] if screenshot else ["--dump-dom"]
    done = subprocess.run([*args, f"{page.as_uri()}#{fragment}"], capture_output=True, timeout=120, text=True)
    return done.stdout


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html") / "three-tier.html"
    assert main(["diagram", str(ROOT / "designs" / "three-tier.yaml"), "-o", str(out)]) == 0
    return out


def _details(dom: str) -> str:
    assert 'data-ready="yes"' in dom, "the page's script did not run to the end"
    found = re.search(r'<div id="details">(.*?)</div></div>', dom, re.S)
    assert found, dom[-500:]
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1)))


def test_the_page_needs_nothing_from_the_network(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)


@pytest.mark.parametrize("search, shown", [
    ("app-1", ["app-1", "eni:prod/app-1", "10.0.10.10", "Route table private-a", "0.0.0.0/0 -> nat-a",
               "NACL app inbound", "Security group app inbound", "Reached by", "tcp 8080"]),
    ("10.0.20.10", ["orders-db", "10.0.20.10", "Reached by", "app-1: tcp 5432", "app-2: tcp 5432"]),
    ("web", ["lb:prod/web", "Reached from the internet on", "tcp 443"]),
])
def test_search_finds_a_component_and_shows_its_details(page: Path, search: str, shown: list[str]) -> None:
    details = _details(_browse(page, f"search={search}"))
    for text in shown:
        assert text in details, (text, details)


def test_the_match_is_highlighted_and_a_screenshot_is_written(page: Path) -> None:
    dom = _browse(page, "search=app-1")
    assert re.search(r'<g id="eni:prod/app-1" class="[^"]*\bhit\b', dom), "the match is not highlighted"
    picture = page.with_suffix(".png")
    _browse(page, "search=app-1", screenshot=picture)
    assert picture.is_file() and picture.stat().st_size > 10_000
    print(f"screenshot of the interactive view: {picture}")
