// Client-side catalog search over the published catalog shards (no server involved).
// An item matches when every whitespace-separated term is a substring of its search text, or, for a
// CJK term of two or more characters, when every bigram of the term is contained in it.

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

// Each item's normalised search text, computed once per item (a keystroke searches thousands).
const hay = new WeakMap();

function haystack(item) {
  let text = hay.get(item);
  if (text === undefined) {
    text = item.search ? normalise(item.search) : normalise([item.name, item.code, item.display_code, ...(item.keywords || [])].join(" "));
    hay.set(item, text);
  }
  return text;
}

function termMatches(hay, term) {
  if (hay.includes(term)) return true;
  const chars = Array.from(term);
  if (chars.length >= 2 && chars.every((c) => CJK.test(c))) return bigrams(term).every((b) => hay.includes(b));
  return false;
}

/** The search terms of a query (NFKC-normalised, lowercase). */
export function terms(query) {
  return normalise(query).split(/\s+/).filter(Boolean);
}

/** Does this index item match the query? An empty query matches everything. */
export function matches(item, query) {
  const ts = terms(query);
  if (!ts.length) return true;
  const hay = haystack(item);
  return ts.every((t) => termMatches(hay, t));
}

function score(item, ts) {
  const plain = ts.join("").replace(/-/g, "");
  if (plain === normalise(item.code)) return 0;
  const name = normalise(item.name);
  if (ts.every((t) => name.includes(t))) return name.startsWith(ts[0]) ? 1 : 2;
  const keywords = normalise((item.keywords || []).join(" "));
  if (ts.every((t) => keywords.includes(t))) return 3;
  return 4;
}

/** Matching items, best first: exact code, name prefix, name substring, keyword, other text. */
export function search(items, query) {
  const ts = terms(query);
  const found = items.filter((it) => matches(it, query));
  if (!ts.length) return found;
  return found
    .map((it, i) => ({ it, i, sc: score(it, ts) }))
    .sort((a, b) => a.sc - b.sc || a.i - b.i)
    .map((x) => x.it);
}
