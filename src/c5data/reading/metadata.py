"""What a descriptor says about the package as a work to cite: title, version, authors, maintainers, licence, home page.

Read once here so the citation files (`CITATION.cff`, `.zenodo.json`) and the site's cite-this blocks say the same
thing. Only the Data Package's own properties are read (`id` for a DOI, `title`, `version`, `homepage`, `contributors` with their
`roles`, `licenses`, `keywords`, `created`); nothing is invented when one is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_URL = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)
_DOI = re.compile(r"^(?:https://doi\.org/)?(10\.\d{4,9}/\S+)$")


@dataclass(frozen=True)
class Contributor:
    title: str
    path: str | None  # a web address for the contributor (for a maintainer: where to reach them)
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Licence:
    name: str | None  # an SPDX-style id, e.g. CC-BY-4.0
    title: str | None
    path: str | None


@dataclass(frozen=True)
class Metadata:
    name: str
    title: str
    description: str
    version: str
    homepage: str | None  # always ends with "/" so page paths can be appended
    contributors: tuple[Contributor, ...]
    licences: tuple[Licence, ...]
    keywords: tuple[str, ...]
    created: str
    doi: str | None  # from the descriptor's `id` (https://doi.org/10.5281/zenodo.123 or 10.5281/zenodo.123), once one is minted

    @property
    def authors(self) -> list[str]:
        """Contributors credited as authors (a contributor without roles counts as one, as the standard's default)."""
        named = [c.title for c in self.contributors if not c.roles or "author" in c.roles]
        return named or [f"{self.name} contributors"]

    @property
    def licence_id(self) -> str | None:
        """The first licence's id (`name`, SPDX-style, e.g. CC-BY-4.0), as the citation files state it."""
        return next((lic.name for lic in self.licences if lic.name), None)

    @property
    def maintainers(self) -> list[Contributor]:
        return [c for c in self.contributors if "maintainer" in c.roles]

    @property
    def issue_tracker(self) -> str | None:
        """The first maintainer address that is a GitHub issue tracker (`…/issues`), where errors are reported."""
        for c in self.maintainers:
            if c.path and re.fullmatch(r"https://github\.com/[^/\s]+/[^/\s]+/issues/?", c.path):
                return c.path.rstrip("/")
        return None

    @property
    def repository(self) -> str | None:
        """The repository whose issue tracker the maintainers name."""
        tracker = self.issue_tracker
        return tracker[: -len("/issues")] if tracker else None


def url(value: Any) -> str | None:
    """`value` when it is an http(s) address, else None (a `javascript:` or relative value is never linked)."""
    return value if isinstance(value, str) and _URL.match(value) else None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def metadata(descriptor: dict[str, Any]) -> Metadata:
    """The citable facts of a descriptor, each as the descriptor gives it."""
    contributors = []
    for c in descriptor.get("contributors") or []:
        if isinstance(c, dict) and _text(c.get("title") or c.get("name")):
            given_roles = c.get("roles")
            roles: list[Any] = given_roles if isinstance(given_roles, list) else ([c["role"]] if isinstance(c.get("role"), str) else [])
            contributors.append(Contributor(_text(c.get("title") or c.get("name")), url(c.get("path")), tuple(str(r) for r in roles)))
    given = [lic for lic in descriptor.get("licenses") or [] if isinstance(lic, dict)]
    licences = tuple(Licence(_text(lic.get("name")) or None, _text(lic.get("title")) or None, url(lic.get("path"))) for lic in given)
    home = url(descriptor.get("homepage"))
    ident = descriptor.get("id")
    doi = _DOI.match(ident) if isinstance(ident, str) else None
    name = _text(descriptor.get("name")) or "data"
    return Metadata(
        name=name,
        title=_text(descriptor.get("title")) or name,
        description=_text(descriptor.get("description")),
        version=_text(descriptor.get("version")),
        homepage=(home if home.endswith("/") else home + "/") if home else None,
        contributors=tuple(contributors),
        licences=licences,
        keywords=tuple(str(k) for k in descriptor.get("keywords") or [] if isinstance(k, str)),
        created=_text(descriptor.get("created")),
        doi=doi.group(1) if doi else None,
    )
