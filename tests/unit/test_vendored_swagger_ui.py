"""The API docs page's Swagger UI is the npm release pinned in infra/vendor_swagger_ui.py, unmodified,
with its licence, and the page loads only what is published with the hall (no CDN)."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "hall" / "apidocs" / "index.html"


def test_the_vendored_files_are_the_pinned_release() -> None:
    from infra import vendor_swagger_ui as vendor

    assert vendor.check() == []
    assert "Apache License" in (vendor.TARGET / "LICENSE").read_text()


def test_the_page_loads_only_local_files_and_no_inline_script_or_style() -> None:
    html = PAGE.read_text()
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert refs and all(not re.match(r"^[a-z]+:|^//", ref) or ref.startswith("#") for ref in refs), refs
    for ref in refs:
        if ref != "../config.js" and not ref.startswith("#"):  # config.js is written when the hall is published
            assert (PAGE.parent / ref).resolve().exists(), ref
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert "<style" not in html and " style=" not in html and not re.search(r"\son[a-z]+=", html)


def test_the_hall_footer_links_to_the_page() -> None:
    index = (ROOT / "hall" / "index.html").read_text()
    footer = index[index.index("<footer"):index.index("</footer>")]
    assert 'href="apidocs/"' in footer
