"""The phrase type of the vocabulary, and the few phrases the command line prints on its own.

:mod:`kwg_check._vocabulary` holds every word the library prints and includes the phrases
below; they live here, beside :class:`W`, because ``kwg-check validate`` prints its count
without importing the whole vocabulary (a pre-commit hook starts it once per call, issue 17).
One source of truth: the vocabulary's tests and scans see these phrases as its own.

What the command line prints for people (counts, usage errors, notes) is in the user's
language; the machine-readable ``FILE:POINTER: CODE: reason`` lines are not: codes are the
contract and reasons stay English, as does argparse's own ``--help``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from ._types import Lang

__all__ = ["CLI_PHRASES", "W", "phrase"]


@attrs.frozen
class W:
    """One phrase in English and German; a counting phrase also has its plural forms."""

    en: str
    de: str
    en_plural: str | None = None
    de_plural: str | None = None

    def pick(self, lang: Lang, count: int | None = None) -> str:
        """The phrase in ``lang``; the plural form when ``count`` is given and not one."""
        plural = count is not None and count != 1
        match lang:
            case "de":
                return (self.de_plural or self.de) if plural else self.de
            case "en":
                return (self.en_plural or self.en) if plural else self.en


def phrase(key: str, lang: Lang, count: int | None = None, /, **fields: object) -> str:
    """The command-line phrase ``key`` in ``lang``; a counting phrase gets ``count`` as
    ``{n}`` and its plural form unless ``count`` is one."""
    text = CLI_PHRASES[key].pick(lang, count)
    return text.format(n=count, **fields) if count is not None else text.format(**fields)


CLI_PHRASES: Mapping[str, W] = {
    "cli.files-checked": W(
        "{n} file checked, {invalid} invalid",
        "{n} Datei geprüft, {invalid} ungültig",
        "{n} files checked, {invalid} invalid",
        "{n} Dateien geprüft, {invalid} ungültig",
    ),
    "cli.with-lint-warnings": W(", {n} with lint warnings", ", {n} mit Lint-Hinweisen"),
    "cli.instruments-checked": W(
        "{n} instrument checked, {warned} with warnings",
        "{n} Instrument geprüft, {warned} mit Hinweisen",
        "{n} instruments checked, {warned} with warnings",
        "{n} Instrumente geprüft, {warned} mit Hinweisen",
    ),
    "cli.differences": W("{n} difference", "{n} Abweichung", "{n} differences", "{n} Abweichungen"),
    "cli.verified": W("verified", "bestätigt"),
    "cli.verified-other-engine": W(
        "verified (stored by engine {stored}, re-scored by {current})",
        "bestätigt (gespeichert mit kwg_check {stored}, neu berechnet mit {current})",
    ),
    "cli.not-carried-over": W(
        "{n} answer not carried over (now unknown)",
        "{n} Antwort nicht übernommen (jetzt unbekannt)",
        "{n} answers not carried over (now unknown)",
        "{n} Antworten nicht übernommen (jetzt unbekannt)",
    ),
    "cli.batch-count": W(
        "{n} line: {scored} scored, {invalid} invalid",
        "{n} Zeile: {scored} bewertet, {invalid} ungültig",
        "{n} lines: {scored} scored, {invalid} invalid",
        "{n} Zeilen: {scored} bewertet, {invalid} ungültig",
    ),
    "cli.batch-stopped": W(
        "{n} line written before the run stopped: {reason}",
        "{n} Zeile vor dem Abbruch geschrieben: {reason}",
        "{n} lines written before the run stopped: {reason}",
        "{n} Zeilen vor dem Abbruch geschrieben: {reason}",
    ),
    "cli.batch-partial": W(
        "; they are in {partial}, continue with --resume",
        "; sie stehen in {partial}, fortsetzen mit --resume",
    ),
    "cli.interrupted": W("interrupted", "abgebrochen"),
    "cli.worker-died": W("a worker process died", "ein Arbeitsprozess ist abgestürzt"),
    "cli.io-error": W("input/output error", "Ein-/Ausgabefehler"),
    "cli.no-such-file": W("{path}: no such file", "{path}: Datei nicht gefunden"),
    "cli.no-such-directory": W("{path}: no such directory", "{path}: Verzeichnis nicht gefunden"),
    "cli.no-such-path": W(
        "{path}: no such file or directory", "{path}: Datei oder Verzeichnis nicht gefunden"
    ),
    "cli.reads-one-file": W(
        "{path}: is a directory; this command reads one file",
        "{path}: ist ein Verzeichnis; dieser Befehl liest eine Datei",
    ),
    "cli.is-directory": W("{path}: is a directory", "{path}: ist ein Verzeichnis"),
    "cli.resume-regular-file": W(
        "{path}: --resume needs a regular file", "{path}: --resume braucht eine reguläre Datei"
    ),
    "cli.cannot-write": W(
        "{path}: cannot write ({reason})", "{path}: Schreiben nicht möglich ({reason})"
    ),
    "cli.cannot-read": W(
        "{path}: cannot read ({reason})", "{path}: Lesen nicht möglich ({reason})"
    ),
    "cli.cannot-write-stdout": W(
        "cannot write to standard output ({reason})",
        "Schreiben auf die Standardausgabe nicht möglich ({reason})",
    ),
    "cli.output-is-input": W(
        "{path}: the output is the input {name}; nothing was written",
        "{path}: die Ausgabe ist die Eingabe {name}; nichts wurde geschrieben",
    ),
    "cli.resume-needs-output": W(
        "--resume needs -o FILE: the output to continue",
        "--resume braucht -o DATEI: die fortzusetzende Ausgabe",
    ),
    "cli.cannot-resume": W(
        "{path}: cannot resume: {reason}", "{path}: Fortsetzen nicht möglich: {reason}"
    ),
    "cli.cannot-resume-os": W(
        "{path}: cannot resume ({reason})", "{path}: Fortsetzen nicht möglich ({reason})"
    ),
    "cli.fhir-subcommand": W(
        "fhir needs a subcommand: questionnaire, response, import or instrument",
        "fhir braucht einen Unterbefehl: questionnaire, response, import oder instrument",
    ),
    "cli.consult-two": W(
        "consult needs at least two assessments (ASSESSMENT ASSESSMENT...)",
        "consult braucht mindestens zwei Einschätzungen (ASSESSMENT ASSESSMENT...)",
    ),
    "cli.language-fallback": W(
        "note: the library's own words are in English, the instrument's texts in {tag}",
        "Hinweis: die Wörter der Bibliothek sind englisch, die Texte des Instruments in {tag}",
    ),
}
"""What ``kwg-check`` itself says to people on standard error, in German and English."""
