"""The published JSON Schema files: generated from the models, validated offline.

The schema files are the contract for programs that never run Python: a case system checks
its documents in CI with whatever Draft 2020-12 validator it has. So the generated schema is
post-processed until it means exactly what the models accept, in every validator:

* an optional field is *left out*, never ``null`` — pydantic's ``anyOf [X, null]`` becomes
  ``X`` and the ``"default": null`` goes;
* maps with constrained keys say so with ``propertyNames`` (pydantic's ``patternProperties``
  would let every other key through unchecked);
* "exactly one of" branches carry ``"type": "object"`` so that strict validators (ajv) accept
  them;
* every property has a title and a description: the schema is the format's reference.

Validation here is offline: the registry knows the three bundled schemas and refuses every
other URI, so no ``$ref`` can ever reach the network. Errors are reported as
:class:`~kwg_check._errors.Problem` records whose reasons come from the schema, never from
the document (jsonschema's own messages quote the instance, which may be sensitive text).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any, NoReturn, cast

from kwg_check._errors import (
    KwgCheckError,
    NotFoundError,
    Problem,
    escape_pointer_token,
    pointer_from_path,
)
from kwg_check._io import JsonValue
from kwg_check._model._patterns import (
    DATE_PATTERN,
    DECIMAL_PATTERN,
    FINGERPRINT_PATTERN,
    ID_PATTERN,
    PSEUDONYM_PATTERN,
    SEMVER_PATTERN,
    published,
)

if TYPE_CHECKING:  # jsonschema is imported where a document is checked against a schema
    import referencing
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator
    from pydantic import BaseModel
    from pydantic.json_schema import GenerateJsonSchema

__all__ = [
    "DIALECT",
    "SCHEMA_MAJOR",
    "SCHEMA_NAMES",
    "SCHEMA_ROOT",
    "SchemaGenerationError",
    "generate_schema",
    "registry",
    "render_schema",
    "schema_id",
    "schema_problems",
    "schema_text",
    "validator",
]

SCHEMA_NAMES = ("instrument", "assessment", "summary", "instrument_variant")
"""Names of the published schemas, one per document type (a local variant of an instrument
has its own; it resolves into an instrument)."""
SCHEMA_ROOT = "https://schemas.kwg-check.de/"
"""Root URI of the published schemas; ``v<major>/<name>.schema.json`` below it."""
SCHEMA_MAJOR = {"instrument": 1, "assessment": 1, "summary": 2, "instrument_variant": 1}
"""Major version of each document format, in its schema's ``$id``: it goes up when documents
of the format before no longer validate (summary v2: the compact summary of issue 17; the
v1 summary schema is kept, frozen, in ``schemas/v1/``)."""
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _model(name: str) -> type[BaseModel]:
    """The model of a document type, imported when a schema is generated: reading the
    published files (``kwg-check schema``, ``--help``) builds no model (issue 17)."""
    from kwg_check._model import Assessment, Instrument, InstrumentVariant, Summary

    models: dict[str, type[BaseModel]] = {
        "instrument": Instrument,
        "assessment": Assessment,
        "summary": Summary,
        "instrument_variant": InstrumentVariant,
    }
    return models[name]


# Keywords the published schemas may use, in the order they are written (for readers).
# Anything else pydantic might emit one day (discriminator, format, …) fails generation
# instead of slipping into the contract.
_KEYWORD_ORDER = (
    "$schema",
    "$id",
    "$ref",
    "title",
    "description",
    "type",
    "const",
    "enum",
    "default",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "items",
    "minItems",
    "maxItems",
    "properties",
    "required",
    "additionalProperties",
    "propertyNames",
    "minProperties",
    "maxProperties",
    "anyOf",
    "oneOf",
    "allOf",
    "not",
    "$defs",
)
_ALLOWED_KEYWORDS = frozenset(_KEYWORD_ORDER)
_SCHEMA_MAPS = ("properties", "$defs", "patternProperties")
_SCHEMA_LISTS = ("anyOf", "oneOf", "allOf")
_SCHEMA_VALUES = ("items", "additionalProperties", "propertyNames", "not")
# Constructs that read differently in Python ``re`` and ECMAScript (``u`` flag).
_NON_PORTABLE_PATTERN = re.compile(r"\\[dDwWbBAZz]|(?<!\\)\$|\(\?[aiLmsux<P]")


class SchemaGenerationError(KwgCheckError):
    """A generated schema breaks the portability rules: a bug in a model or here, found
    before the schema is published. The pointer points into the generated schema."""


def _not_portable(path: Iterable[str | int], reason: str) -> NoReturn:
    raise SchemaGenerationError(Problem(pointer_from_path(path), "schema.not-portable", reason))


@functools.cache
def _titled_fields() -> type[GenerateJsonSchema]:
    """pydantic's schema generator, giving every property a title, also those whose type is
    a model (pydantic skips them); made when a schema is generated."""
    from pydantic.json_schema import GenerateJsonSchema

    class _TitledFields(GenerateJsonSchema):
        def field_title_should_be_set(self, schema: Any) -> bool:
            return True

        def str_schema(self, schema: Any) -> Any:
            # The models' patterns are written for their Rust validator; the schema holds
            # the portable form (see ``_model._patterns.validated``).
            result = super().str_schema(schema)
            if isinstance(result.get("pattern"), str):
                result["pattern"] = published(result["pattern"])
            return result

    return _TitledFields


def _unknown(name: str) -> NoReturn:
    raise NotFoundError.single(
        "",
        "schema.unknown",
        "no schema of that name; known schemas: " + ", ".join(SCHEMA_NAMES),
    )


def schema_id(name: str) -> str:
    """The ``$id`` of a published schema."""
    if name not in SCHEMA_NAMES:
        _unknown(name)
    return f"{SCHEMA_ROOT}v{SCHEMA_MAJOR[name]}/{name}.schema.json"


def generate_schema(name: str) -> dict[str, JsonValue]:
    """The schema of a document type, from its model, post-processed for portability."""
    if name not in SCHEMA_NAMES:
        _unknown(name)
    raw = _model(name).model_json_schema(schema_generator=_titled_fields())
    defs: dict[str, Any] = raw.pop("$defs", {})
    body = _clean(raw)
    cleaned_defs = {key: _clean(defs[key]) for key in sorted(defs)}
    _fill_ref_descriptions(body, cleaned_defs)
    for definition in cleaned_defs.values():
        _fill_ref_descriptions(definition, cleaned_defs)
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": schema_id(name),
        "title": body.pop("title"),
        "description": body.pop("description"),
        **body,
    }
    if cleaned_defs:
        schema["$defs"] = cleaned_defs
    _verify(schema)
    return cast("dict[str, JsonValue]", _ordered(schema))


def render_schema(name: str) -> str:
    """The exact text of a published schema file."""
    return json.dumps(generate_schema(name), indent=2, ensure_ascii=False) + "\n"


def _clean(node: Any) -> Any:
    """Rewrite one subschema (recursively) into its portable, null-free form."""
    if not isinstance(node, dict):
        return node
    node = dict(node)
    if isinstance(node.get("anyOf"), list):
        branches = [b for b in node["anyOf"] if b != {"type": "null"}]
        if len(branches) != len(node["anyOf"]):
            if node.get("default", ...) is None:
                del node["default"]
            del node["anyOf"]
            if len(branches) == 1:
                # The field's own title/description win over the type's.
                node = {**branches[0], **node}
            else:
                node["anyOf"] = branches
    if "patternProperties" in node:
        node = _keys_by_property_names(node)
    for key in ("oneOf", "anyOf"):
        if isinstance(node.get(key), list):
            node[key] = [_typed_required(branch) for branch in node[key]]
    if isinstance(node.get("not"), dict):
        node["not"] = _typed_required(node["not"])
    for key in _SCHEMA_MAPS:
        if isinstance(node.get(key), dict):
            node[key] = {name: _clean(sub) for name, sub in node[key].items()}
    for key in _SCHEMA_LISTS:
        if isinstance(node.get(key), list):
            node[key] = [_clean(sub) for sub in node[key]]
    for key in _SCHEMA_VALUES:
        if isinstance(node.get(key), dict):
            node[key] = _clean(node[key])
    return node


def _ordered(node: Any) -> Any:
    """Keywords in a fixed order, properties in model order, definitions by name."""
    if not isinstance(node, dict):
        return node
    result = {key: node[key] for key in _KEYWORD_ORDER if key in node}
    for key in _SCHEMA_MAPS:
        if key in result:
            result[key] = {name: _ordered(sub) for name, sub in result[key].items()}
    for key in _SCHEMA_LISTS:
        if key in result:
            result[key] = [_ordered(sub) for sub in result[key]]
    for key in _SCHEMA_VALUES:
        if key in result:
            result[key] = _ordered(result[key])
    return result


def _keys_by_property_names(node: dict[str, Any]) -> dict[str, Any]:
    """``patternProperties`` only constrains matching keys; the model rejects all others."""
    patterns = node.pop("patternProperties")
    if len(patterns) != 1 or "properties" in node or "additionalProperties" in node:
        _not_portable((), "a map with fixed properties or several key patterns")
    ((pattern, values),) = patterns.items()
    names = dict(node.get("propertyNames", {}))
    names.update({"type": "string", "pattern": pattern})
    node["propertyNames"] = names
    node["additionalProperties"] = values
    return node


def _typed_required(branch: Any) -> Any:
    """``{"required": [x]}`` alone trips ajv's strict mode (strictTypes wants the type,
    strictRequired wants the name declared beside it); add both, which changes nothing."""
    if isinstance(branch, dict) and set(branch) == {"required"}:
        names = branch["required"]
        return {"type": "object", "properties": dict.fromkeys(names, True), "required": names}
    return branch


def _fill_ref_descriptions(node: Any, defs: Mapping[str, Any]) -> None:
    """A ``$ref`` property whose title or description pydantic dropped (because it equals
    the referenced model's) gets it back: every property documents itself."""
    for sub in _subschemas(node):
        for prop in _properties(sub).values():
            ref = prop.get("$ref") if isinstance(prop, dict) else None
            if isinstance(ref, str):
                target = defs.get(ref.removeprefix("#/$defs/"), {})
                for key in ("title", "description"):
                    if key not in prop and key in target:
                        prop[key] = target[key]


def _subschemas(node: Any) -> Iterable[dict[str, Any]]:
    """Every subschema of a schema, the schema itself included (depth first)."""
    return (sub for _, sub in _walk(node, ()))


def _walk(node: Any, path: tuple[str | int, ...]) -> Iterable[tuple[tuple[str | int, ...], Any]]:
    """(path, subschema) for every object subschema; enum/const/default values are data."""
    if not isinstance(node, dict):
        return
    yield path, node
    for key in _SCHEMA_MAPS:
        for name, sub in node.get(key, {}).items():
            yield from _walk(sub, (*path, key, name))
    for key in _SCHEMA_LISTS:
        for index, sub in enumerate(node.get(key, [])):
            yield from _walk(sub, (*path, key, index))
    for key in _SCHEMA_VALUES:
        yield from _walk(node.get(key), (*path, key))


def _properties(node: Mapping[str, Any]) -> dict[str, Any]:
    props = node.get("properties", {})
    return props if isinstance(props, dict) else {}


_UNDESCRIBED = "a property without a description (models built before describe_fields()?)"


def _verify(schema: Mapping[str, Any]) -> None:
    """Refuse to publish a schema that breaks the portability rules."""
    for path, sub in _walk(schema, ()):
        unknown = set(sub) - _ALLOWED_KEYWORDS
        if unknown:
            _not_portable(path, f"keywords outside the portable core: {sorted(unknown)}")
        for name, prop in _properties(sub).items():
            if isinstance(prop, dict) and "description" not in prop:
                _not_portable((*path, "properties", name), _UNDESCRIBED)
        if sub.get("default", ...) is None or sub.get("type") == "null":
            _not_portable(path, "null is never a value: optional fields are left out")
        if path and "$id" in sub:
            _not_portable(path, "an embedded $id: only the document itself has one")
        ref = sub.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#/$defs/"):
            _not_portable(path, "a $ref outside the document: schemas are self-contained")
        if isinstance(sub.get("type"), list):
            _not_portable(path, "a union type (ajv strictTypes rejects it)")
        pattern = sub.get("pattern")
        if isinstance(pattern, str) and _NON_PORTABLE_PATTERN.search(pattern):
            _not_portable(path, "a pattern that reads differently in ECMAScript")


# --- the bundled files and offline validation -------------------------------------------


def schema_text(name: str) -> str:
    """The text of the schema file shipped inside the package."""
    if name not in SCHEMA_NAMES:
        _unknown(name)
    resource = resources.files("kwg_check").joinpath("schemas", f"{name}.schema.json")
    return resource.read_text(encoding="utf-8")


@functools.cache
def _bundled(name: str) -> dict[str, Any]:
    return cast("dict[str, Any]", json.loads(schema_text(name)))


def _refuse(uri: str) -> NoReturn:
    """Retrieval hook of the registry: nothing outside the bundle is ever fetched."""
    import referencing.exceptions

    raise referencing.exceptions.NoSuchResource(uri)


@functools.cache
def registry() -> referencing.Registry[Any]:
    """The three bundled schemas; any other URI is refused, never fetched."""
    import referencing
    from referencing.jsonschema import DRAFT202012

    resources_ = [
        (schema_id(name), DRAFT202012.create_resource(_bundled(name))) for name in SCHEMA_NAMES
    ]
    return referencing.Registry(retrieve=_refuse).with_resources(resources_)  # type: ignore[call-arg]


@functools.cache
def validator(name: str) -> Validator:
    """A Draft 2020-12 validator over the bundled schema (no format checking: none is used)."""
    import jsonschema

    if name not in SCHEMA_NAMES:
        _unknown(name)
    return jsonschema.Draft202012Validator(_bundled(name), registry=registry())


def schema_problems(name: str, data: JsonValue) -> list[Problem]:
    """Everything the published schema finds wrong with ``data``, sorted by pointer."""
    errors = validator(name).iter_errors(data)
    return sorted({_problem(leaf) for error in errors for leaf in _leaves(error)})


def _leaves(error: ValidationError) -> Iterable[ValidationError]:
    """The errors worth reporting: where no alternative of a oneOf/anyOf matched but
    exactly one had the right shape (it failed only inside), that one's own errors — e.g.
    the bad flag id inside a condition rather than "matches no kind of condition"."""
    if error.validator in ("oneOf", "anyOf") and error.context:
        by_branch: dict[Any, list[ValidationError]] = {}
        for sub in error.context:
            by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
        inside = [errs for errs in by_branch.values() if all(e.relative_path for e in errs)]
        if len(inside) == 1:
            for sub in inside[0]:
                yield from _leaves(sub)
            return
    yield error


# --- reasons in the library's own words ---------------------------------------------------

_SAFE_KEY = re.compile(r"[A-Za-z0-9_.$-]{1,64}")
_SAFE_TOKEN = re.compile(r"[A-Za-z0-9_.:$-]{1,64}")
_PATTERN_MEANING = {
    ID_PATTERN: "an identifier: 1 to 64 lower-case letters, digits, '_', '.' or '-', "
    "starting with a letter or digit",
    PSEUDONYM_PATTERN: "a pseudonymous id: 1 to 64 letters, digits, '_', '.', ':' or '-', "
    "starting with a letter or digit",
    SEMVER_PATTERN: "a semantic version such as 1.0.0",
    FINGERPRINT_PATTERN: "'sha256:' followed by 64 lower-case hex digits",
    DECIMAL_PATTERN: "a decimal string such as '1.5' (at most 12 integer and 6 fractional "
    "digits, no exponent)",
    DATE_PATTERN: "a calendar date YYYY-MM-DD between 1900-01-01 and 2199-12-31",
}
_JSON_TYPE_NAMES = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def _pointer(path: Iterable[str | int]) -> str:
    """RFC 6901 pointer; stops before the first key that is not an identifier, because a
    key may itself be sensitive text (e.g. a name typed where an item id belongs)."""
    pointer = ""
    for token in path:
        if isinstance(token, str) and not _SAFE_TOKEN.fullmatch(token):
            break
        pointer += "/" + escape_pointer_token(token)
    return pointer


def _problem(error: ValidationError) -> Problem:
    keyword = str(error.validator)
    if "propertyNames" in error.relative_schema_path:
        keyword = "propertyNames"
    reason = _REASONS.get(keyword, _generic)(error)
    return Problem(_pointer(error.absolute_path), _code(keyword, error), reason)


def _code(keyword: str, error: ValidationError) -> str:
    """The models' code for the fault (see ``_CODES``), refined where one keyword covers
    faults the models tell apart."""
    if keyword in ("type", "oneOf", "anyOf") and error.instance is None:
        return "schema.null"
    if keyword == "pattern" and error.validator_value == DATE_PATTERN:
        return "schema.value"  # the models read the date and find it is no calendar date
    if keyword in ("oneOf", "anyOf"):
        branches = error.validator_value if isinstance(error.validator_value, list) else []
        if any(isinstance(b, dict) and b.get("pattern") == DECIMAL_PATTERN for b in branches):
            # a decimal: a binary float is a wrong type, a malformed string a wrong value
            return "schema.value" if isinstance(error.instance, str) else "schema.type"
        if branches and all(_is_typed_required(b) for b in branches):
            return "schema.value"  # exactly one of several properties, checked by a validator
        if isinstance(error.instance, dict) and branches and all(_is_rule(b) for b in branches):
            return "schema.value"  # a rule between an object's fields (a subject's kind)
        types = {b.get("type") for b in branches if isinstance(b, dict)}
        if branches and None not in types and not types & _json_types(error.instance):
            return "schema.type"  # no branch takes a value of this type: a string or true/false
    return _CODES.get(keyword, "schema.invalid")


def _is_rule(branch: Any) -> bool:
    """An inline object branch (not a ``$ref`` to a kind of object): part of a rule that ties
    an object's fields together, which the models check in a validator."""
    return (
        isinstance(branch, dict)
        and branch.get("type", "object") == "object"
        and "$ref" not in branch
        and ("properties" in branch or "allOf" in branch or "not" in branch)
    )


def _json_types(value: Any) -> set[str]:
    """The JSON Schema types a value has (an integer is a number too)."""
    if value is None:
        return {"null"}
    if isinstance(value, bool):
        return {"boolean"}
    if isinstance(value, int):
        return {"integer", "number"}
    kinds = {float: "number", str: "string", list: "array", dict: "object"}
    return {name for kind, name in kinds.items() if isinstance(value, kind)}


_CODES = {
    "required": "schema.required",
    "additionalProperties": "schema.unknown-field",
    "false": "schema.unknown-field",
    "type": "schema.type",
    "pattern": "schema.pattern",
    "propertyNames": "schema.pattern",
    "oneOf": "schema.union",
    "anyOf": "schema.union",
    "enum": "schema.enum",
    "const": "schema.enum",
    "minLength": "schema.length",
    "maxLength": "schema.length",
    "minItems": "schema.length",
    "maxItems": "schema.length",
    "minProperties": "schema.length",
    "maxProperties": "schema.length",
    "minimum": "schema.range",
    "maximum": "schema.range",
    "exclusiveMinimum": "schema.range",
    "exclusiveMaximum": "schema.range",
}
"""JSON Schema keyword → the code the models give the same fault (``_documents``): one
fault has one code, whether the published schema or the library finds it."""


def _generic(error: ValidationError) -> str:
    return f"violates the schema rule '{error.validator}'"


def _listing(values: Iterable[Any]) -> str:
    return ", ".join(json.dumps(value, ensure_ascii=False) for value in values)


def _required(error: ValidationError) -> str:
    present = error.instance if isinstance(error.instance, dict) else {}
    wanted = cast("list[str]", error.validator_value)
    missing = [name for name in wanted if name not in present]
    return "missing required property " + _listing(missing or wanted)


def _additional(error: ValidationError) -> str:
    instance = error.instance if isinstance(error.instance, dict) else {}
    known = _properties(error.schema) if isinstance(error.schema, Mapping) else {}
    extra = sorted(key for key in instance if key not in known)
    named = [key for key in extra if _SAFE_KEY.fullmatch(key)]
    unnamed = len(extra) - len(named)
    parts = []
    if named:
        parts.append("unknown property " + _listing(named))
    if unnamed:
        parts.append(
            f"{unnamed} unknown propert{'y' if unnamed == 1 else 'ies'} "
            "with a name that is not an identifier"
        )
    return "; ".join(parts) or "unknown property"


def _type(error: ValidationError) -> str:
    expected = error.validator_value
    names = expected if isinstance(expected, list) else [expected]
    return "must be " + " or ".join(_JSON_TYPE_NAMES.get(str(n), str(n)) for n in names)


def _pattern(error: ValidationError) -> str:
    meaning = _PATTERN_MEANING.get(str(error.validator_value))
    return f"must be {meaning}" if meaning else "does not have the required form"


def _property_names(error: ValidationError) -> str:
    meaning = _PATTERN_MEANING.get(str(error.validator_value))
    return "a property name is not " + (meaning or "of the required form")


def _one_of(error: ValidationError) -> str:
    branches = error.validator_value if isinstance(error.validator_value, list) else []
    exclusive = [b["required"][0] for b in branches if _is_typed_required(b)]
    if exclusive and len(exclusive) == len(branches):
        return "must have exactly one of the properties " + _listing(exclusive)
    return "must match exactly one of the allowed forms, but matches none or several"


def _any_of(error: ValidationError) -> str:
    branches = error.validator_value if isinstance(error.validator_value, list) else []
    if any(isinstance(b, dict) and b.get("pattern") == DECIMAL_PATTERN for b in branches):
        return (
            "must be an exact decimal: an integer, or a decimal string such as '1.5' (at "
            "most 12 integer and 6 fractional digits); never a binary float such as 1.5"
        )
    if isinstance(error.instance, dict) and branches and all(_is_rule(b) for b in branches):
        return (
            "the fields do not fit the subject's kind: a family lists members and has no "
            "age; any other subject has exactly one of birth_date and age_months, within "
            "its kind's age limit"
        )
    return "matches none of the allowed forms"


def _is_typed_required(branch: Any) -> bool:
    return isinstance(branch, dict) and set(branch) == {"type", "properties", "required"}


def _limit(text: str) -> Callable[[ValidationError], str]:
    return lambda error: text.format(error.validator_value)


_REASONS: dict[str, Callable[[ValidationError], str]] = {
    "required": _required,
    "additionalProperties": _additional,
    "type": _type,
    "pattern": _pattern,
    "propertyNames": _property_names,
    "oneOf": _one_of,
    "anyOf": _any_of,
    "enum": lambda error: "must be one of " + _listing(cast("list[Any]", error.validator_value)),
    "const": lambda error: "must be " + _listing([error.validator_value]),
    "minLength": _limit("must have at least {} characters"),
    "maxLength": _limit("must have at most {} characters"),
    "minItems": _limit("must have at least {} entries"),
    "maxItems": _limit("must have at most {} entries"),
    "minProperties": _limit("must have at least {} properties"),
    "maxProperties": _limit("must have at most {} properties"),
    "minimum": _limit("must be at least {}"),
    "maximum": _limit("must be at most {}"),
    "false": lambda error: "is not allowed here",
}
