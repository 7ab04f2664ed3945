// The API docs page (接口文档): Swagger UI, vendored from npm (infra/vendor_swagger_ui.py), over the
// live document the API generates (GET /openapi.json). No CDN, no inline script: the page runs under
// the hall's Content-Security-Policy. The API's address comes from config.js, as for the hall.
(function () {
  "use strict";
  var config = window.SUNLIT_CONFIG || {};
  var api = String(config.api || "").replace(/\/+$/, "");
  var specUrl = api + "/openapi.json";
  var status = document.getElementById("docs-status");
  var link = document.getElementById("spec-link");
  link.href = specUrl;
  link.textContent = specUrl;

  function done(ok, message) {
    status.textContent = message;
    status.classList.toggle("docs-error", !ok);
    document.getElementById("main").setAttribute("data-ready", ok ? "apidocs" : "error");
  }

  if (typeof window.SwaggerUIBundle !== "function") {
    done(false, "接口文档组件未能加载。");
    return;
  }
  window.ui = window.SwaggerUIBundle({
    url: specUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    presets: [window.SwaggerUIBundle.presets.apis],
    deepLinking: true,
    docExpansion: "none",
    defaultModelsExpandDepth: 0,
    displayRequestDuration: true,
    filter: true,
    tryItOutEnabled: false,
    // Never send the document to an outside validator (the CSP would refuse the badge anyway).
    validatorUrl: null,
    onComplete: function () {
      var spec = window.ui.specSelectors.specJson().toJS();
      var count = 0;
      Object.keys(spec.paths || {}).forEach(function (p) { count += Object.keys(spec.paths[p]).length; });
      if (count) {
        done(true, "共 " + count + " 个接口（OpenAPI " + (spec.openapi || "") + "）。");
      } else {
        done(false, "接口定义加载失败：" + specUrl);
      }
    }
  });
})();
