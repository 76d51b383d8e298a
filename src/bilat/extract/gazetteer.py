"""The participants gazetteer: which country a name, demonym, capital or actor stands for.

Events need participants (ANNOTATION.md sections 1 and 4), and documents name
countries in many ways: "China", "the PRC", "Chinese personnel", "Beijing",
"the Kremlin", "Sino-Soviet", "CNPC", "Putin". This module turns all of them
into ISO 3166 alpha-3 codes (ISO 3166-3 codes such as SUN for dissolved
states) and keeps international organisations apart, since a bloc is not a
country.

The lexicon lives in ``bilat/data/*.toml`` so that it can be reviewed and
extended without touching code. It is validated through pydantic models, and a
bad entry raises :class:`~bilat.errors.LexiconError` naming its file and key.
Documents are scanned with one regular expression compiled from a trie of all
surface forms: a single left-to-right pass whose cost grows linearly with the
text, in which the longest form at a position wins.
"""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bilat.errors import LexiconError, UnknownCountryError
from bilat.models import Actor, ActorKind, CountryCode

__all__ = ["Country", "Gazetteer", "Mention", "MentionKind"]

MentionKind = Literal["name", "alias", "demonym", "capital", "prefix", "actor", "organisation"]

# Dashes that join a combining form to the next word: "Sino-Soviet", "Sino–Soviet".
_DASHES = "-\u2010\u2011\u2013"
_STRAIGHT, _CURLY = "'", "\u2019"

# A surface form: no leading or trailing blanks, so it can be matched between word boundaries.
Surface = Annotated[str, Field(min_length=1, pattern=r"^\S(?:.*\S)?$")]
# A combining form is written before a dash ("Sino" in "Sino-Russian").
Prefix = Annotated[str, Field(pattern=r"^[A-Z][a-z]+$")]

_COUNTRY_KINDS: tuple[tuple[str, MentionKind], ...] = (
    ("aliases", "alias"),
    ("demonyms", "demonym"),
    ("capitals", "capital"),
)


class _Entry(BaseModel):
    """Lexicon entries: unknown keys are typos, so they are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Country(_Entry):
    """A country or historical state and every form that names it."""

    code: CountryCode
    alpha2: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    name: Surface
    aliases: tuple[Surface, ...] = ()
    demonyms: tuple[Surface, ...] = ()
    capitals: tuple[Surface, ...] = ()
    prefixes: tuple[Prefix, ...] = ()
    resolve_only: tuple[Surface, ...] = Field(
        default=(), description="Accepted by resolve() but too ambiguous to search for in text."
    )
    historical: bool = False
    un_member: bool = True

    @model_validator(mode="before")
    @classmethod
    def _historical_defaults(cls, data: Any) -> Any:
        """A dissolved state holds no UN seat unless its entry says otherwise."""
        if isinstance(data, dict) and data.get("historical") and "un_member" not in data:
            return {**data, "un_member": False}
        return data

    @model_validator(mode="after")
    def _codes_consistent(self) -> Country:
        if self.historical and self.alpha2 is not None:
            raise ValueError("a historical state has no current alpha-2 code")
        if not self.historical and self.alpha2 is None:
            raise ValueError("a current country needs an alpha-2 code")
        return self


class _CountriesFile(_Entry):
    ignore: dict[Surface, str] = Field(default_factory=dict)
    country: dict[str, dict[str, Any]]


class _ActorEntry(_Entry):
    country: CountryCode
    aliases: tuple[Surface, ...] = ()
    contextual: tuple[Surface, ...] = ()


class _OrganisationEntry(_Entry):
    aliases: tuple[Surface, ...] = ()


_EntryT = TypeVar("_EntryT", bound=_Entry)
_ACTOR_KINDS: tuple[ActorKind, ...] = get_args(ActorKind)


class Mention(NamedTuple):
    """One place in a text that names a country, an actor standing for one, or an organisation."""

    start: int
    end: int
    text: str
    code: str | None
    kind: MentionKind
    actor: Actor | None = None


@dataclass(frozen=True, slots=True)
class _Target:
    """What a surface form stands for (kind None: an ignored form).

    ``contextual`` forms count only once their actor has been named.
    """

    code: str | None
    kind: MentionKind | None
    actor: Actor | None = None
    contextual: bool = False


@dataclass(frozen=True, slots=True)
class _Origin:
    """Where a surface form was declared, for error messages about duplicates."""

    file: str
    key: str


def _quoted(text: str) -> str:
    """``text`` as typed in a shell: quoted when it holds a space."""
    return f"'{text}'" if " " in text else text


def _normalise(name: str) -> str:
    """The key resolve() compares: no case, accents, dots, apostrophes, articles or dashes."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    for dropped in (".", _STRAIGHT, _CURLY):
        plain = plain.replace(dropped, "")
    words = plain.replace("-", " ").split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def _variants(surface: str) -> tuple[str, ...]:
    """A form with an apostrophe is also written with a typographic one."""
    if _STRAIGHT in surface:
        return (surface, surface.replace(_STRAIGHT, _CURLY))
    return (surface,)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise LexiconError(
            f"{path.name}: cannot read lexicon file: {error}",
            hint=f"check {path} is readable TOML",
        ) from error


def _invalid(path: Path, key: str, error: ValidationError | str) -> LexiconError:
    if isinstance(error, ValidationError):
        details = "; ".join(
            f"{'.'.join(str(part) for part in item['loc']) or '(entry)'}: {item['msg']}"
            for item in error.errors()
        )
    else:
        details = error
    return LexiconError(f"{path.name}: {key}: {details}", hint=f"fix the entry {key!r} in {path}")


class _Builder:
    """Collects surface forms from the lexicon files, refusing a form that names two things."""

    def __init__(self) -> None:
        self.surfaces: dict[str, _Target] = {}
        self.prefixes: dict[str, _Target] = {}
        self.origins: dict[str, _Origin] = {}

    def add(self, surface: str, target: _Target, path: Path, key: str) -> None:
        table = self.prefixes if target.kind == "prefix" else self.surfaces
        for form in _variants(surface):
            previous = table.get(form)
            if previous is not None and previous != target:
                origin = self.origins[form]
                raise _invalid(
                    path, key, f"{form!r} is already declared by {origin.file}: {origin.key}"
                )
            table[form] = target
            self.origins.setdefault(form, _Origin(path.name, key))


def _plural_demonym(surface: str) -> bool:
    """Demonyms also match as plural nouns: "Russians", "the Soviets", "Czechs"."""
    return not surface.endswith("s")


class Gazetteer:
    """Countries, actors and organisations, and a matcher that finds them in text."""

    def __init__(
        self,
        countries: Iterable[Country],
        surfaces: Mapping[str, _Target],
        prefixes: Mapping[str, _Target],
        actors: Iterable[Actor],
        resolve_index: Mapping[str, str],
    ) -> None:
        """Prefer :meth:`default` or :meth:`load`, which validate the lexicon first."""
        self._countries = {country.code: country for country in countries}
        self._surfaces = dict(surfaces)
        self._prefixes = dict(prefixes)
        self._actors = tuple(actors)
        self._resolve_index = dict(resolve_index)

    # -- loading -------------------------------------------------------------------------

    @classmethod
    def default(cls) -> Gazetteer:
        """The bundled lexicon, loaded and validated once per process."""
        return _default_gazetteer()

    @classmethod
    def load(cls, countries: Path, actors: Path, organisations: Path) -> Gazetteer:
        """Read and validate lexicon files; any bad entry raises LexiconError naming it."""
        builder = _Builder()
        country_models = _load_countries(countries, builder)
        known = {country.code for country in country_models}
        actor_models = _load_actors(actors, builder, known)
        actor_models += _load_organisations(organisations, builder)
        index = _resolve_index(countries, country_models)
        return cls(country_models, builder.surfaces, builder.prefixes, actor_models, index)

    # -- countries -----------------------------------------------------------------------

    def countries(self) -> list[Country]:
        """Every country and historical state, sorted by code."""
        return [self._countries[code] for code in sorted(self._countries)]

    def country(self, code: str) -> Country:
        """The country with this alpha-3 code (as stored: upper case)."""
        try:
            return self._countries[code]
        except KeyError:
            raise UnknownCountryError(code, self._suggest(code)) from None

    def name(self, code: str) -> str:
        """The display name of a code: "CHN" -> "China"."""
        return self.country(code).name

    def actors(self) -> list[Actor]:
        """People, bodies and companies standing for a country, then organisations."""
        return list(self._actors)

    def resolve(self, name: str) -> str:
        """The code for a name typed by a user: any case, codes, aliases, demonyms, capitals."""
        key = _normalise(name)
        code = self._resolve_index.get(key)
        if code is None and key.endswith("s"):
            code = self._resolve_index.get(key[:-1])
        if code is None:
            bloc = self._organisation(key)
            if bloc is not None:
                raise UnknownCountryError(
                    name,
                    [],
                    hint=f"{bloc} is a bloc, not a country; blocs are actors: "
                    f"use --actor {_quoted(bloc)}",
                )
            raise UnknownCountryError(name, self._suggest(name))
        return code

    def _organisation(self, key: str) -> str | None:
        """The organisation a normalised name stands for ("eu" -> "European Union")."""
        for surface, target in self._surfaces.items():
            named = target.kind == "organisation" and target.actor is not None
            if named and target.actor is not None and _normalise(surface) == key:
                return target.actor.name
        return None

    def _suggest(self, name: str) -> list[str]:
        key = _normalise(name)
        candidates = [candidate for candidate in self._resolve_index if len(candidate) > 3]
        suggestions: list[str] = []
        for match in difflib.get_close_matches(key, candidates, n=10, cutoff=0.6):
            display = self._countries[self._resolve_index[match]].name
            if display not in suggestions:
                suggestions.append(display)
        return suggestions[:3]

    # -- documents -----------------------------------------------------------------------

    @functools.cached_property
    def _pattern(self) -> re.Pattern[str]:
        return _compile(self._surfaces, self._prefixes)

    def find_mentions(self, text: str) -> list[Mention]:
        """Every mention in ``text``, left to right, longest first, never overlapping.

        Forms are case-sensitive ("China", not "china"; "US", not "us") and
        bounded by non-word characters, so possessives ("China's", "Russia’s")
        and dashed compounds ("China–Russia", "Sino-Russian") split cleanly.
        A contextual short name ("Hu") counts only after its actor's full name
        appeared earlier in the same text. Regions and ambiguous forms declared
        under ``ignore`` ("Latin America", "US$", "Congolese") yield nothing;
        "Korea" and "Korean" alone mean the Republic of Korea (KOR).
        """
        mentions: list[Mention] = []
        named: set[str] = set()
        for match in self._pattern.finditer(text):
            found = match.group()
            target = self._target(found)
            if target.kind is None:
                continue
            if target.actor is not None:
                if target.contextual and target.actor.name not in named:
                    continue
                named.add(target.actor.name)
            mentions.append(
                Mention(match.start(), match.end(), found, target.code, target.kind, target.actor)
            )
        return mentions

    def _target(self, found: str) -> _Target:
        """What a matched form stands for (kind None for ignored forms: regions, ambiguous)."""
        target = self._surfaces.get(found)
        if target is None:
            # Not a declared form, so the matcher took a prefix's dash or a demonym's plural s.
            table = self._prefixes if found[-1] in _DASHES else self._surfaces
            target = table[found[:-1]]
        return target


def _load_countries(path: Path, builder: _Builder) -> list[Country]:
    raw = _read_toml(path)
    try:
        parsed = _CountriesFile.model_validate(raw)
    except ValidationError as error:
        raise _invalid(path, "(file)", error) from error
    ignored = _Target(code=None, kind=None)
    for surface in parsed.ignore:
        builder.add(surface, ignored, path, f"ignore.{surface!r}")
    countries: list[Country] = []
    for code, body in parsed.country.items():
        key = f"country.{code}"
        try:
            country = Country.model_validate({"code": code, **body})
        except ValidationError as error:
            raise _invalid(path, key, error) from error
        builder.add(country.name, _Target(country.code, "name"), path, key)
        for field, kind in _COUNTRY_KINDS:
            for surface in getattr(country, field):
                builder.add(surface, _Target(country.code, kind), path, f"{key}.{field}")
        for prefix in country.prefixes:
            builder.add(prefix, _Target(country.code, "prefix"), path, f"{key}.prefixes")
        countries.append(country)
    return countries


def _resolve_index(path: Path, countries: Iterable[Country]) -> dict[str, str]:
    """Normalised names typed by users; two countries must never share one."""
    index: dict[str, str] = {}
    for country in countries:
        names = [country.code, country.name, *country.aliases, *country.demonyms]
        names += [*country.capitals, *country.resolve_only]
        if country.alpha2:
            names.append(country.alpha2)
        for name in names:
            key = _normalise(name)
            if index.setdefault(key, country.code) != country.code:
                message = f"{name!r} resolves to {country.code} and to {index[key]}"
                raise _invalid(path, f"country.{country.code}", message)
    return index


def _entry(path: Path, key: str, model: type[_EntryT], body: Any) -> _EntryT:
    try:
        return model.model_validate(body)
    except ValidationError as error:
        raise _invalid(path, key, error) from error


def _load_actors(path: Path, builder: _Builder, known: set[str]) -> list[Actor]:
    actors: list[Actor] = []
    for kind, table in _read_toml(path).items():
        if kind not in _ACTOR_KINDS or not isinstance(table, dict):
            raise _invalid(path, kind, f"expected a table named for an actor kind {_ACTOR_KINDS}")
        for name, body in table.items():
            key = f"{kind}.{name!r}"
            entry = _entry(path, key, _ActorEntry, body)
            if entry.country not in known:
                raise _invalid(path, key, f"unknown country code {entry.country!r}")
            actor = Actor(name=name, country=entry.country, kind=kind)
            target = _Target(entry.country, "actor", actor)
            for surface in (name, *entry.aliases):
                builder.add(surface, target, path, key)
            contextual = _Target(entry.country, "actor", actor, contextual=True)
            for surface in entry.contextual:
                builder.add(surface, contextual, path, key)
            actors.append(actor)
    return actors


def _load_organisations(path: Path, builder: _Builder) -> list[Actor]:
    organisations: list[Actor] = []
    for name, body in _read_toml(path).items():
        key = repr(name)
        entry = _entry(path, key, _OrganisationEntry, body)
        actor = Actor(name=name, country=None, kind="organisation")
        target = _Target(None, "organisation", actor)
        for surface in (name, *entry.aliases):
            builder.add(surface, target, path, key)
        organisations.append(actor)
    return organisations


# -- the matcher ---------------------------------------------------------------------------

_WORD_CHAR = re.compile(r"\w")
_WORD_END = r"(?!\w)"
_OPEN_END = ""
_PLURAL_END = r"s?(?!\w)"
_PREFIX_END = f"[{_DASHES}](?=[^\\W\\d_])"


@dataclass(slots=True)
class _Node:
    children: dict[str, _Node]
    ends: list[str]


def _compile(surfaces: Mapping[str, _Target], prefixes: Iterable[str]) -> re.Pattern[str]:
    """One regex for all forms, factored as a trie so each position is tried in one pass.

    At every trie node the longer continuations are tried before the node's own
    endings, so the longest form that ends on a word boundary wins. There are
    no nested quantifiers: each position costs at most the depth of the trie.
    """
    root = _Node({}, [])

    def insert(surface: str, end: str) -> None:
        node = root
        for char in surface:
            node = node.children.setdefault(char, _Node({}, []))
        if end not in node.ends:
            node.ends.append(end)

    for surface, target in surfaces.items():
        if not _WORD_CHAR.match(surface[-1]):
            # "US$" in "US$130", "U.S." in "U.S.-China": a word boundary is already there.
            insert(surface, _OPEN_END)
        elif target.kind == "demonym" and _plural_demonym(surface):
            insert(surface, _PLURAL_END)
        else:
            insert(surface, _WORD_END)
    for prefix in prefixes:
        insert(prefix, _PREFIX_END)
    first = "".join(re.escape(char) for char in sorted(root.children))
    return re.compile(f"(?<!\\w)(?=[{first}])(?:{_render(root)})")


def _render(node: _Node) -> str:
    branches: list[str] = []
    for char in sorted(node.children):
        child = node.children[char]
        run = [char]
        while len(child.children) == 1 and not child.ends:
            ((next_char, child),) = child.children.items()
            run.append(next_char)
        branches.append(re.escape("".join(run)) + _render(child))
    # A plural ending also accepts the bare form, so it makes a plain ending redundant.
    ends = sorted(node.ends, key=lambda end: (end != _PREFIX_END, end != _PLURAL_END, end == ""))
    if _PLURAL_END in ends and _WORD_END in ends:
        ends.remove(_WORD_END)
    branches.extend(ends)
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def _data_path(name: str) -> Path:
    return Path(str(resources.files("bilat").joinpath("data", name)))


@functools.cache
def _default_gazetteer() -> Gazetteer:
    return Gazetteer.load(
        _data_path("countries.toml"), _data_path("actors.toml"), _data_path("organisations.toml")
    )
