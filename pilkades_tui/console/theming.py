"""Themes on screen: the packaged and user themes registered at start, and a switch
that refuses a theme the stylesheet cannot be built with."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.css.stylesheet import StylesheetParseError

from pilkades_tui.console.themes import DEFAULT_THEME, load_themes

if TYPE_CHECKING:
    from pilkades_tui.console.app import PilkadesApp


class Theming:
    """Mixed into the app: theme loading and switching."""

    def start_theme(self: PilkadesApp) -> None:
        """Register every theme, say which files were broken, and take the asked-for
        theme, or the default when it is unknown or unusable."""
        themes, problems = load_themes()
        for theme in themes:
            self.register_theme(theme)
        for problem in problems:
            message = self.catalogue.text("theme.broken", path=problem.path, error=problem.error)
            self.theme_problems.append(message)
            self.notify(message, severity="warning", timeout=10)
        wanted = self.requested_theme or DEFAULT_THEME
        if wanted not in self.available_themes:
            if self.requested_theme:
                names = ", ".join(sorted(self.available_themes))
                self.notify(
                    self.catalogue.text("cmd.theme_unknown", name=wanted, names=names),
                    severity="warning",
                )
            wanted = DEFAULT_THEME if DEFAULT_THEME in self.available_themes else "textual-dark"
        if not self.use_theme(wanted, fallback=DEFAULT_THEME) and wanted != DEFAULT_THEME:
            self.use_theme(DEFAULT_THEME)

    def use_theme(self: PilkadesApp, name: str, fallback: str | None = None) -> bool:
        """Switch to a theme if the stylesheet can be built with it. A user's theme file
        can hold a variable that is no colour: Textual would stop the app on it.
        `fallback` is the theme the message names (by default the one in use)."""
        theme = self.get_theme(name)
        if theme is None:
            return False
        trial = self.stylesheet.copy()
        # As App.get_css_variables merges them, but for a theme not yet in use.
        trial.set_variables(
            {
                **self.get_theme_variable_defaults(),
                **theme.to_color_system().generate(),
                **theme.variables,
            }
        )
        try:
            trial.reparse()
        except StylesheetParseError:
            detail = self.catalogue.text("theme.bad_variables")
            self.notify(
                self.catalogue.text(
                    "theme.unusable", name=name, error=detail, fallback=fallback or self.theme
                ),
                severity="error",
                timeout=15,
            )
            return False
        self.theme = name
        return True
