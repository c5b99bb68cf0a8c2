"""Labels of instrument elements and of the library's own ids, in the report's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from ..._model import Instrument
from ..._model._types import LocalizedText
from ..._model.instrument import Item, Scale
from ..._model.summary import Message, Warning
from ..._types import Lang
from ..._vocabulary import (
    format_date,
    format_number,
    label,
    localized,
    render_message,
    render_warning,
    word,
)
from ._document import _free, _ident

# --- labels from the instruments ----------------------------------------------------------


class _Labels:
    """Labels of instrument elements in one language; the first instrument that knows wins."""

    def __init__(
        self, instruments: Sequence[Instrument], lang: Lang, texts: str | None = None
    ) -> None:
        self.lang: Lang = lang
        self.texts = texts or lang
        """The language of the instruments' texts (their own when the library falls back)."""
        self.instruments = instruments

    def w(self, key: str, **fields: object) -> str:
        return word(f"report.{key}", self.lang, **fields)

    def label(self, concept: str, ident: str) -> str:
        """The vocabulary's label of a library id (a form, a role, a check result …)."""
        return label(concept, ident, self.lang)

    def num(self, value: Decimal | None) -> str:
        return "—" if value is None else format_number(value, self.lang)

    def date(self, value: date) -> str:
        return format_date(value, self.lang)

    def t(self, text: LocalizedText | None, fallback: str = "") -> str:
        if text is None:
            return fallback
        return _free(localized(text, self.texts))

    def sheet(self, key: str) -> str:
        return word(f"sheet.{key}", self.lang)

    def _find(self, attribute: str, ident: str) -> LocalizedText | None:
        for instrument in self.instruments:
            for element in getattr(instrument, attribute):
                if element.id == ident:
                    label: LocalizedText = element.label
                    return label
        return None

    def outcome(self, ident: str | None) -> str:
        if ident is None:
            return "—"
        return self.t(self._find("outcomes", ident), ident)

    def item(self, ident: str) -> str:
        return self.t(self._find("items", ident), ident)

    def index(self, ident: str) -> str:
        return self.t(self._find("indices", ident), ident)

    def flag(self, ident: str) -> str:
        return self.t(self._find("flags", ident), ident)

    def domain(self, ident: str) -> str:
        return self.t(self._find("domains", ident), ident)

    def check(self, ident: str) -> str:
        return self.t(self._find("process_checks", ident), ident)

    def item_def(self, ident: str) -> tuple[Item, Scale] | None:
        for instrument in self.instruments:
            scales = {scale.id: scale for scale in instrument.scales}
            for item in instrument.items:
                if item.id == ident and item.scale in scales:
                    return item, scales[item.scale]
        return None

    def level(self, item_id: str, level_id: str) -> str:
        found = self.item_def(item_id)
        if found is not None:
            scale = found[1]
            for level in scale.levels:
                if level.id == level_id:
                    return self.t(level.label, level_id)
            if scale.unknown is not None and scale.unknown.id == level_id:
                return self.t(scale.unknown.label, level_id)
        return level_id

    def result(self, ident: str) -> str:
        return self.t(self._find("results", ident), ident)

    def result_value(self, result_id: str, value_id: str) -> str:
        """A further result's value by its label (the id where the instrument has none)."""
        for instrument in self.instruments:
            for result in instrument.results:
                for value in result.outcomes:
                    if result.id == result_id and value.id == value_id:
                        return self.t(value.label, value_id)
        return value_id

    def band(self, index_id: str, band_id: str | None) -> str:
        if band_id is None:
            return "—"
        for instrument in self.instruments:
            for index in instrument.indices:
                for band in index.bands or ():
                    if index.id == index_id and band.id == band_id:
                        return self.t(band.label, band_id)
        return band_id

    def resource_category(self, category: str) -> str:
        return label("resource", category, self.lang)

    def name(self, kind: str, ident: str, params: Mapping[str, object]) -> str:
        """How a message names an id: by the instrument's label where it has one."""
        match kind:
            case "item" | "index" | "flag" | "outcome" | "domain":
                named: str = getattr(self, kind)(ident)
                return named
            case "level":
                return self.level(str(params.get("item", "")), ident)
            case "band":
                return self.band(str(params.get("index", "")), ident)
        return _ident(ident)

    def message(self, message: Message) -> str:
        return render_message(message, self.lang, self.name)

    def warning(self, warning: Warning) -> str:
        return render_warning(warning, self.lang, self.name)
