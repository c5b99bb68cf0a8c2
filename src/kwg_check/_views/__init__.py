"""Views: they only render data that is already resolved and scored.

The text overview (``_text``), the instrument sheet (``_describe``), the report
(``_report``), the comparison (``_compare``), the § 99 statistic (``_stats``) and the FHIR
mapping (``_fhir``) read documents, instruments and scores and turn them into words, tables
or resources; ``kwg_check._api`` sequences resolve → score → render. A view imports the
layers below it and other views, never ``_api`` or the CLI.
"""
