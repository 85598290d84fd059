"""What every page has around its body: the header (home link, navigation, language switch),
the footer, and the page's title and language for the browser (dashboard/app.py shows them)."""

from __future__ import annotations

from dash import dcc, html

from dashboard import ids
from dashboard.i18n import texts
from dashboard.view_state import View


def page_title(title: str, lang: str, bigscreen: bool = False) -> dcc.Store:
    """The browser tab's title and the page's language (and whether it is the big screen)."""
    data = {"title": title, "lang": lang}
    if bigscreen:
        data["bigscreen"] = True
    return dcc.Store(id=ids.PAGE_TITLE, data=data)


def shell(body, view: View, path: str, title: str) -> list:
    """Header and footer around a page; `path` is the page's address, kept by the language
    switch together with the view's stage and crew."""
    lang = view.lang
    labels = texts(lang)
    other = "it" if lang == "en" else "en"
    home = "/" + View(lang=lang).search()
    header = html.Header(
        className="top",
        children=[
            html.A(labels["app.skip_to_map"], href="#map", className="skip-link"),
            html.Div(
                [
                    html.H1(html.A(labels["app.heading"], href=home)),
                    html.P(labels["app.tagline"], className="tagline"),
                ],
                className="brand",
            ),
            html.Nav(
                [
                    html.A(labels["nav.map"], href=home),
                    html.A(labels["history.link"], href="/history" + View(lang=lang).search()),
                ],
                className="top-nav",
                **{"aria-label": labels["nav.map"] + " · " + labels["history.link"]},
            ),
            html.A(
                labels["lang.switch"],
                href=_with_lang(
                    path + View(stage=view.stage, crew=view.crew, lang=other).search(), other
                ),
                className="lang-switch",
                lang=other,
                title=labels["lang.switch_label"],
                id="lang-switch",
            ),
        ],
    )
    footer = html.Footer(
        className="bottom",
        children=[
            html.P(labels["footer.attribution"]),
            html.P(
                [
                    labels["footer.offline"],
                    " ",
                    html.A(labels["editor.link"], href="/editor" + View(lang=lang).search()),
                ]
            ),
        ],
    )
    return [page_title(title, lang), header, html.Main(body, id="main"), footer]


def _with_lang(href: str, lang: str) -> str:
    """An explicit ?lang= (also for the default language), so the choice is remembered."""
    if "lang=" in href:
        return href
    return href + ("&" if "?" in href else "?") + f"lang={lang}"
