// Starts Swagger UI on /api/v1/docs. An external script from this origin, so the strict
// Content-Security-Policy needs no exception. The OpenAPI document's URL is read from the
// page; the validator badge (an image from another site) is switched off.
/* global SwaggerUIBundle */
const root = document.getElementById('swagger-ui')
root.textContent = ''
window.ui = SwaggerUIBundle({
  url: root.dataset.specUrl,
  domNode: root,
  deepLinking: true,
  validatorUrl: null,
  tryItOutEnabled: false
})
