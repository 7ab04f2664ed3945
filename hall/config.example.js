// Runtime settings for the online hall (网上政务大厅).
// The deploy step writes `config.js` next to index.html from this template (config.js is not committed).
//   api:     base URL of the Sunlit public API (no trailing slash), CORS-enabled.
//   catalog: where the published catalog JSON lives, relative to index.html (or an absolute URL).
window.SUNLIT_CONFIG = {"api": "http://127.0.0.1:8000", "catalog": "catalog/"};
