# Translations, GNOME layout: po/POTFILES (sources), po/LINGUAS (languages), po/intervm-copy.pot,
# po/<lang>.po; compiled catalogues go to build/locale/<lang>/LC_MESSAGES/intervm-copy.mo, where
# the programs run from the build folder find them (Localization.localeDirectory).
#   make pot        regenerate po/intervm-copy.pot from the sources
#   make update-po  regenerate the template and merge it into every po/<lang>.po
#   make mo         compile the catalogues into build/locale
#   make check-po   template up to date, POTFILES complete, every catalogue valid and complete
# Installing: each build/locale/<lang>/LC_MESSAGES/intervm-copy.mo goes to
# $(PREFIX)/share/locale/<lang>/LC_MESSAGES/intervm-copy.mo.
TEXT_DOMAIN := intervm-copy
LINGUAS := $(shell grep -v -e '^\#' -e '^[[:space:]]*$$' po/LINGUAS)
MO_FILES := $(foreach lang,$(LINGUAS),build/locale/$(lang)/LC_MESSAGES/$(TEXT_DOMAIN).mo)

.PHONY: pot update-po mo check-po

pot: deps
	scripts/po-extract.sh po/$(TEXT_DOMAIN).pot

update-po: pot
	@for lang in $(LINGUAS); do \
		if [ -f po/$$lang.po ]; then \
			msgmerge --quiet --update --backup=none po/$$lang.po po/$(TEXT_DOMAIN).pot; \
		else \
			msginit --no-translator --locale=$$lang.UTF-8 -i po/$(TEXT_DOMAIN).pot -o po/$$lang.po; \
		fi; \
	done

mo: $(MO_FILES)

$(MO_FILES): build/locale/%/LC_MESSAGES/$(TEXT_DOMAIN).mo: po/%.po | deps
	@mkdir -p $(@D)
	msgfmt -c --check-format -o $@ $<

check-po: mo
	scripts/check-po.sh
