# Translations, GNOME layout: po/POTFILES (sources), po/LINGUAS (languages), po/intervm-copy.pot,
# po/<lang>.po; compiled catalogues go to build/locale/<lang>/LC_MESSAGES/intervm-copy.mo, where
# the programs run from the build folder find them (Localization.localeDirectory).
#   make pot        regenerate po/intervm-copy.pot from the sources
#   make update-po  regenerate the template and merge it into every po/<lang>.po
#   make mo         compile the catalogues into build/locale, and write the data files shown to
#                   users with every translation merged in: build/data/... (Dolphin .desktop with
#                   Name[lang]=, Thunar's uca.xml with xml:lang elements) from data/...
#   make check-po   template up to date, POTFILES complete, every catalogue valid and complete
# Installing: each build/locale/<lang>/LC_MESSAGES/intervm-copy.mo goes to
# $(PREFIX)/share/locale/<lang>/LC_MESSAGES/intervm-copy.mo, and build/data/X is installed
# instead of data/X for the files listed in po/POTFILES.
TEXT_DOMAIN := intervm-copy
LINGUAS := $(shell grep -v -e '^\#' -e '^[[:space:]]*$$' po/LINGUAS)
MO_FILES := $(foreach lang,$(LINGUAS),build/locale/$(lang)/LC_MESSAGES/$(TEXT_DOMAIN).mo)
PO_FILES := $(foreach lang,$(LINGUAS),po/$(lang).po)
L10N_DATA := $(patsubst data/%,build/data/%,$(shell grep '^data/' po/POTFILES))

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

mo: $(MO_FILES) $(L10N_DATA)

$(MO_FILES): build/locale/%/LC_MESSAGES/$(TEXT_DOMAIN).mo: po/%.po | deps
	@mkdir -p $(@D)
	msgfmt -c --check-format -o $@ $<

build/data/%.desktop: data/%.desktop $(PO_FILES) po/LINGUAS | deps
	@mkdir -p $(@D)
	msgfmt --desktop --template=$< -d po -o $@

# Thunar's uca.xml: po/its/ says which elements are translatable.
build/data/%.xml: data/%.xml $(PO_FILES) po/LINGUAS po/its/thunar-uca.its | deps
	@mkdir -p $(@D)
	GETTEXTDATADIRS="$(CURDIR)/po" msgfmt --xml --template=$< -d po -o $@

check-po: mo
	scripts/check-po.sh
