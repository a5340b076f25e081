// Draw the OpenAPI document with the vendored Swagger UI. Calls made from the page with a logged-in session
// carry the page's CSRF token; calls made with a token (Authorize) need none.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || !window.SwaggerUIBundle) return;
  var csrf = document.querySelector("meta[name=csrf-token]");
  window.SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    validatorUrl: null,
    deepLinking: true,
    tryItOutEnabled: false,
    requestInterceptor: function (request) {
      if (csrf && request.method && request.method.toUpperCase() !== "GET") {
        request.headers["X-CSRFToken"] = csrf.content;
      }
      return request;
    },
  });
})();
