"""Chinese keyword search (中文检索) over the power catalog, without a search server.

Two consumers share these rules:

* the API (``GET /catalog/items?q=``) ranks items with :func:`rank`;
* the hall's client-side search matches the lowercase query as a substring of the
  precomputed :func:`search_text` published in ``catalog/index.json`` (and, for a multi-character
  Chinese query, may also accept a document that contains every query bigram).

Chinese text is indexed as character n-grams (no word segmentation needed) plus pinyin
initials (拼音首字母, ``xcy`` for 小餐饮) and full pinyin, so a resident can type either.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from .items import InvalidCodeError, display_code, normalize_code

# CJK unified ideographs, extension A and compatibility ideographs.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_DIGITS = re.compile(r"\d+")
_LETTERS = re.compile(r"[a-z]+")
_CODE_CHARS = re.compile(r"[^0-9a-z]")


def normalize(text: str) -> str:
    """NFKC (full-width → half-width) and lowercase."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _ngrams(text: str, sizes: Iterable[int]) -> set[str]:
    out: set[str] = set()
    for n in sizes:
        out.update(text[i : i + n] for i in range(len(text) - n + 1))
    return out


@lru_cache(maxsize=8192)
def initials(run: str) -> str:
    """Pinyin initials of a Chinese run: ``小餐饮`` → ``xcy``."""
    return "".join(p[:1] for p in lazy_pinyin(run, style=Style.FIRST_LETTER)).lower()


@lru_cache(maxsize=8192)
def full_pinyin(run: str) -> str:
    """Full toneless pinyin of a Chinese run, joined: ``小餐饮`` → ``xiaocanyin``."""
    return "".join(lazy_pinyin(run)).lower()


def tokens(text: str) -> set[str]:
    """Index tokens of ``text``.

    CJK unigrams, bigrams and trigrams; lowercase ASCII words and their digit and letter parts;
    the pinyin initials of each CJK run with their bigrams and trigrams; the full pinyin of each
    run and of each character.
    """
    norm = normalize(text)
    out: set[str] = set()
    for run in _CJK_RUN.findall(norm):
        out |= _ngrams(run, (1, 2, 3))
        letters = initials(run)
        out.add(letters)
        out |= _ngrams(letters, (2, 3))
        out.add(full_pinyin(run))
        out.update(lazy_pinyin(run))
    for word in _ASCII_WORD.findall(norm):
        out.add(word)
        out.update(_DIGITS.findall(word))
        out.update(_LETTERS.findall(word))
    return out


def _pinyin_forms(text: str) -> tuple[str, str]:
    """(initials, full pinyin) of every CJK run of ``text``, runs joined without separators."""
    runs = _CJK_RUN.findall(normalize(text))
    return "".join(initials(r) for r in runs), "".join(full_pinyin(r) for r in runs)


def search_text(name: str, code: str, keywords: Sequence[str]) -> str:
    """The lowercase string the hall's client-side search matches the lowercase query against.

    Space-separated: name, keywords, the code plain and dashed, then the pinyin initials and the
    full pinyin of the name and of each keyword.
    """
    parts: list[str] = [normalize(name)]
    parts += [normalize(k) for k in keywords if k and k.strip()]
    try:
        plain = normalize_code(code)
        parts += [plain.lower(), display_code(plain).lower()]
    except InvalidCodeError:
        parts.append(normalize(code))
    for text in [name, *keywords]:
        letters, spelled = _pinyin_forms(text)
        if letters:
            parts += [letters, spelled]
    return " ".join(dict.fromkeys(p for p in parts if p))


@dataclass(frozen=True)
class SearchDoc:
    """One searchable item: its code (plain form), name and keywords (关键词)."""

    code: str
    name: str
    keywords: tuple[str, ...] = ()
    _name: str = field(init=False, repr=False, compare=False)
    _keywords: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _code: str = field(init=False, repr=False, compare=False)
    _tokens: frozenset[str] = field(init=False, repr=False, compare=False)
    _pinyin: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keywords = tuple(self.keywords)
        object.__setattr__(self, "keywords", keywords)
        object.__setattr__(self, "_name", normalize(self.name))
        object.__setattr__(self, "_keywords", tuple(normalize(k) for k in keywords))
        object.__setattr__(self, "_code", _CODE_CHARS.sub("", normalize(self.code)))
        toks: set[str] = set()
        forms: list[str] = []
        for text in (self.name, *keywords):
            toks |= tokens(text)
            forms += [f for f in _pinyin_forms(text) if f]
        object.__setattr__(self, "_tokens", frozenset(toks))
        object.__setattr__(self, "_pinyin", tuple(forms))


# Match tiers, best first.
_EXACT_CODE, _NAME, _KEYWORD_OR_CODE, _BIGRAMS, _PINYIN = range(5)


def _term_match(term: str, doc: SearchDoc) -> tuple[int, int] | None:
    """(tier, position) of one normalized query term in ``doc``, or None when it does not match."""
    code_term = _CODE_CHARS.sub("", term)
    try:
        if normalize_code(term.upper()).lower() == doc._code:
            return _EXACT_CODE, 0
    except InvalidCodeError:
        pass
    pos = doc._name.find(term)
    if pos >= 0:
        return _NAME, pos
    if any(term in k for k in doc._keywords):
        return _KEYWORD_OR_CODE, 0
    if len(code_term) >= 3 and code_term.isalnum() and any(c.isdigit() for c in code_term):
        pos = doc._code.find(code_term)
        if pos >= 0:
            return _KEYWORD_OR_CODE, pos
    cjk = "".join(_CJK_RUN.findall(term))
    if len(cjk) >= 2 and cjk == term and _ngrams(cjk, (2,)) <= doc._tokens:
        return _BIGRAMS, 0
    if term.isascii() and term.isalpha():
        positions = [f.find(term) for f in doc._pinyin]
        hits = [p for p in positions if p >= 0]
        if hits:
            return _PINYIN, min(hits)
    return None


def rank(query: str, docs: Sequence[SearchDoc]) -> list[str]:
    """Codes of the documents matching ``query``, best first.

    Order: exact code (plain or dashed) → query inside the name (earlier and shorter names
    first) → inside a keyword or a code fragment → every query bigram present → pinyin initials
    or full pinyin. Several space-separated terms must all match; the worst term decides the
    tier. An empty query returns every code in code order.
    """
    terms = normalize(query).split()
    if not terms:
        return sorted(d.code for d in docs)
    scored: list[tuple[int, int, int, str]] = []
    for doc in docs:
        hits = [_term_match(term, doc) for term in terms]
        if any(h is None for h in hits):
            continue
        found = [h for h in hits if h is not None]
        tier = max(h[0] for h in found)
        scored.append((tier, sum(h[1] for h in found), len(doc.name), doc.code))
    scored.sort()
    return [code for *_, code in scored]
