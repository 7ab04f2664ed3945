"""The project stands on its own: the integration contract and the domain specification it promises
are in ``docs/``, every comment that cites them names the in-repository file and a section that
exists there, and the README's facts match the code they describe."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SOURCES = [ROOT / "app.py", *(ROOT / d for d in ("chalicelib", "devstack", "infra", "tests", "bench", "hall",
                                                  "state_machines", "clients"))]
CITATION = re.compile(r"(?P<prefix>[\w./]*?)(?P<doc>CONTRACT|DOMAIN|DESIGN)(?P<md>\.md)?(?P<sec>\s*§\s*[0-9][0-9.]*)?")


def source_files() -> list[Path]:
    out: list[Path] = []
    for root in SOURCES:
        files = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
        out += [p for p in files if p.suffix in (".py", ".js", ".html", ".css", ".json", ".md", ".java")
                and "__pycache__" not in p.parts and p != Path(__file__)]
    return out + [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "docs" / "integration.md"]


def headings(doc: str) -> set[str]:
    """Section numbers of a document: ``## 6. Supervision`` → 6, ``### 6.2 Rules`` → 6.2."""
    found = set()
    for line in (DOCS / f"{doc}.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"#+\s+([0-9]+(?:\.[0-9]+)*)\.?\s", line)
        if m:
            found.add(m.group(1))
    return found


def test_the_contract_and_the_domain_specification_are_in_the_repository() -> None:
    contract = (DOCS / "CONTRACT.md").read_text(encoding="utf-8")
    assert contract.startswith("# Sunlit public interface contract (v2)")
    assert "**v2:**" in contract
    assert (DOCS / "DOMAIN.md").read_text(encoding="utf-8").startswith("# Sunlit domain specification")
    for seed in re.findall(r"seed `([^`]+)`", (DOCS / "DOMAIN.md").read_text(encoding="utf-8")):
        assert (DOCS / seed).is_file(), seed


def test_every_citation_names_the_file_in_docs_and_a_section_that_exists() -> None:
    bad: list[str] = []
    sections = {doc: headings(doc) for doc in ("CONTRACT", "DOMAIN", "DESIGN")}
    for path in source_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        if "../shared" in text or "shared/seeds" in text:
            bad.append(f"{path.relative_to(ROOT)}: cites ../shared")
        for m in CITATION.finditer(text):
            tail = text[m.end():m.end() + 1]
            identifier = tail == "_" or (not m.group("md") and not m.group("sec") and tail in ":[(.=,)")
            if identifier or (m.group("prefix") and not m.group("prefix").endswith("docs/")):
                continue  # an identifier such as CONTRACT_DATA_KEYS or a variable named CONTRACT
            where = f"{path.relative_to(ROOT)}: {m.group(0).strip()}"
            if m.group("prefix") != "docs/" or not m.group("md"):
                bad.append(f"{where} (cite docs/{m.group('doc')}.md)")
                continue
            if m.group("sec"):
                number = m.group("sec").strip(" §").rstrip(".")
                if number not in sections[m.group("doc")] and number.split(".")[0] not in sections[m.group("doc")]:
                    bad.append(f"{where} (no such section)")
    assert not bad, "\n".join(bad)


README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_counts_what_the_demo_city_has() -> None:
    from datetime import date

    from devstack.demo.generator import generate

    city = generate()
    shown = {c["code"] for c in city.confirmations if date.fromisoformat(c["effective_from"]) <= city.anchor}
    declared = {i["code"] for i in city.items}
    m = re.search(r"(\d+) departments at city and county level", README)
    assert m and int(m.group(1)) == len(city.departments)
    m = re.search(r"(\d+) items declared\s+across all 12 categories — (\d+) confirmed and shown in the hall, (\d+) still",
                  README)
    assert m, "the README should say how many items are declared and shown"
    assert (int(m.group(1)), int(m.group(2)), int(m.group(3))) == (len(declared), len(shown),
                                                                  len(declared - shown))


def test_the_readme_names_exactly_the_screenshots_the_tests_take() -> None:
    hall_test = (ROOT / "tests" / "e2e" / "test_hall.py").read_text(encoding="utf-8")
    block = hall_test[hall_test.index("PAGES: list[tuple[str, str]] = ["):]
    taken = re.findall(r'^\s+\("([a-z]+)", ', block[:block.index("]\n")], re.MULTILINE)
    start = README.index("build/screenshots/<page>-<desktop|phone>.png")
    section = README[start:README.index("\n\n", start)]
    named = re.findall(r"`([a-z]+)`", section)
    assert named == taken


def test_the_readme_gives_one_range_for_the_rules_and_the_checks() -> None:
    from chalicelib.legal.domain.checks import CHECK_NAMES
    from chalicelib.supervision.domain.common import RULE_NAMES

    last_check = max(int(c[1:]) for c in CHECK_NAMES)
    last_rule = max(int(r[1:]) for r in RULE_NAMES if re.fullmatch(r"R\d+", r))
    assert set(re.findall(r"L1–L(\d+)", README)) == {str(last_check)}
    assert set(re.findall(r"R1–R(\d+)", README)) == {str(last_rule)}
