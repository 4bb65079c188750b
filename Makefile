# HealthTech Toolkit: front-end asset builds.
#
# Nothing here is needed to build, run or test the Go program: the outputs are
# committed. Only run these targets after changing assets/ (needs Node.js and
# npm; packages come from assets/package-lock.json).
#
#   make help    list targets
#   make assets  rebuild internal/web/static/{css,js,licences} from assets/
#   make axe     re-vendor axe-core into internal/browsertest/testdata/

ASSETS := assets
NM     := $(ASSETS)/node_modules
STATIC := internal/web/static
AXEDIR := internal/browsertest/testdata

.PHONY: help assets axe npm-ci

help: ## Show this help.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

npm-ci:
	cd $(ASSETS) && npm ci --no-audit --no-fund

assets: npm-ci ## Build the rebranded GOV.UK Frontend CSS and JS bundle.
	mkdir -p $(STATIC)/css $(STATIC)/js $(STATIC)/licences
	$(NM)/.bin/sass --no-source-map --style=compressed --load-path=$(NM) \
		$(ASSETS)/scss/toolkit.scss $(STATIC)/css/toolkit.css
	$(NM)/.bin/esbuild $(ASSETS)/js/toolkit.js --bundle --format=esm --minify \
		--target=es2017 --legal-comments=none --log-level=warning \
		--outfile=$(STATIC)/js/toolkit.js
	cp $(ASSETS)/licences/govuk-frontend-LICENSE.txt $(STATIC)/licences/

axe: npm-ci ## Copy axe-core (pinned in assets/package.json) into the browser test data.
	mkdir -p $(AXEDIR)
	cp $(NM)/axe-core/axe.min.js $(AXEDIR)/axe.min.js
	cp $(NM)/axe-core/LICENSE $(AXEDIR)/axe-core-LICENSE.txt
	cp $(NM)/axe-core/LICENSE-3RD-PARTY.txt $(AXEDIR)/axe-core-LICENSE-3RD-PARTY.txt
