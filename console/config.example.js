// Runtime settings for the staff console (工作台).
// The deploy step writes `config.js` next to index.html from this template (config.js is not committed).
//   api: base URL of the Sunlit API (no trailing slash); it must allow CORS from the console's origin.
window.SUNLIT_CONFIG = {"api": "http://127.0.0.1:8000"};
