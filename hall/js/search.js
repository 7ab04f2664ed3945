// Client-side catalog search over the published catalog shards (no server involved).
// An item matches when every whitespace-separated term is a substring of its search text, or, for a
// CJK term of two or more characters, when every bigram of the term is contained in it.
// A city catalog has thousands of items and every keystroke searches them all, so each item's
// normalised texts are prepared once and each query's terms once per keystroke.

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

function normalise(text) {
  return String(text || "")
    .normalize("NFKC")
    .toLowerCase()
    .trim();
}

function bigrams(term) {
  const chars = Array.from(term);
  const out = [];
  for (let i = 0; i + 1 < chars.length; i += 1) out.push(chars[i] + chars[i + 1]);
  return out;
}

// item → {src, hay, name, keywords, code}: its normalised texts, computed on first use (and again
// when its search text was completed, see loadIndex in shared/data.js).
const prepared = new WeakMap();

function prepare(item) {
  let p = prepared.get(item);
  if (p === undefined || p.src !== item.search) {
    const hay = item.search
      ? normalise(item.search)
      : normalise([item.name, item.code, item.display_code, ...(item.keywords || [])].join(" "));
    p = { src: item.search, hay, name: normalise(item.name), keywords: normalise((item.keywords || []).join(" ")), code: normalise(item.code) };
    prepared.set(item, p);
  }
  return p;
}

/** A query term with what matching it needs: the term and, for a CJK term, its bigrams. */
function compile(term) {
  const chars = Array.from(term);
  return { term, bigrams: chars.length >= 2 && chars.every((c) => CJK.test(c)) ? bigrams(term) : null };
}

function termMatches(hay, t) {
  if (hay.includes(t.term)) return true;
  return t.bigrams !== null && t.bigrams.every((b) => hay.includes(b));
}

/** The search terms of a query (NFKC-normalised, lowercase). */
export function terms(query) {
  return normalise(query).split(/\s+/).filter(Boolean);
}

function matchesCompiled(item, compiled) {
  const hay = prepare(item).hay;
  return compiled.every((t) => termMatches(hay, t));
}

/** Does this index item match the query? An empty query matches everything. */
export function matches(item, query) {
  const ts = terms(query);
  return !ts.length || matchesCompiled(item, ts.map(compile));
}

function score(item, ts, plain) {
  const p = prepare(item);
  if (plain === p.code) return 0;
  if (ts.every((t) => p.name.includes(t))) return p.name.startsWith(ts[0]) ? 1 : 2;
  if (ts.every((t) => p.keywords.includes(t))) return 3;
  return 4;
}

/** Matching items, best first: exact code, name prefix, name substring, keyword, other text. */
export function search(items, query) {
  const ts = terms(query);
  if (!ts.length) return items.slice();
  const compiled = ts.map(compile);
  const plain = ts.join("").replace(/-/g, "");
  const found = [];
  for (let i = 0; i < items.length; i += 1) {
    const it = items[i];
    if (matchesCompiled(it, compiled)) found.push({ it, i, sc: score(it, ts, plain) });
  }
  found.sort((a, b) => a.sc - b.sc || a.i - b.i);
  return found.map((x) => x.it);
}
