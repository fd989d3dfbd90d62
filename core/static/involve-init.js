// Starts the page's JavaScript enhancements. Every page works without them.
// - GOV.UK Frontend's components (menu toggle, skip link, error summary and notification banner
//   focus, and so on).
// - MOJ Frontend's components (sortable tables, "add another", filter toggle).
// - accessible-autocomplete on <select data-involve-autocomplete> (finding a resident by name).
// Loaded by core/templates/layout.html as an external module script, so no inline script is
// needed for it under a Content Security Policy. The build/ files come from `npm run build`.
import { initAll } from './build/govuk-frontend.min.js'
import { initAll as initMoj } from './build/moj-frontend.mjs'

initAll()
initMoj()

if (window.accessibleAutocomplete) {
  for (const select of document.querySelectorAll('select[data-involve-autocomplete]')) {
    window.accessibleAutocomplete.enhanceSelectElement({
      selectElement: select,
      defaultValue: '',
      showAllValues: false,
      minLength: 2
    })
  }
}
