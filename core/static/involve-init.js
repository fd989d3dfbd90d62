// Starts GOV.UK Frontend's JavaScript components (menu toggle, skip link,
// error summary and notification banner focus, and so on).
// Loaded by core/templates/layout.html as an external module script, so no
// inline script is needed for it under a Content Security Policy.
// build/govuk-frontend.min.js is produced by `cd frontend && npm run build`.
import { initAll } from './build/govuk-frontend.min.js'

initAll()
