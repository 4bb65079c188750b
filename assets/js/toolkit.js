// HealthTech Toolkit browser entry point (ES module).
//
// GOV.UK Frontend's page template adds these body classes with an inline
// <script>; our Content-Security-Policy forbids inline script, so we add them
// here. This file is loaded with <script type="module">, and only browsers
// that support ES modules run it, which is exactly the condition GOV.UK
// Frontend uses for `govuk-frontend-supported`.
//
// `make assets` bundles this file and GOV.UK Frontend into one minified,
// import-free module: internal/web/static/js/toolkit.js. The Go server serves
// static files under content-hashed names, so the output must not import
// other files by relative URL.
import { initAll } from 'govuk-frontend'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
