"""Pack section providers: the hook through which other domain areas add a section to
each case of a meeting pack (e.g. the SPO summary from marac/orders).

Register from your AppConfig.ready():

    from marac.meetings.pack_sections import register_pack_section
    register_pack_section("spo_summary", "Stalking Protection Orders", spo_summaries)

A provider takes the ids of the cases on the agenda and returns, in one set-based
call (never a query per case), `{case_id: {"lines": ["...", ...], ...}}`: `lines`
are printed under the section title in the PDF, and the whole dict goes into the
JSON pack under `cases[i].sections[name]`. Cases without data are left out. Only
include what the MARAC may see (the pack goes to the chair and coordinators).
"""

from collections.abc import Callable
from dataclasses import dataclass

SectionProvider = Callable[[list[int]], dict[int, dict]]


@dataclass(frozen=True)
class PackSection:
    name: str
    title: str
    provide: SectionProvider


_sections: dict[str, PackSection] = {}


def register_pack_section(name: str, title: str, provide: SectionProvider) -> None:
    _sections[name] = PackSection(name, title, provide)


def unregister_pack_section(name: str) -> None:
    _sections.pop(name, None)


def pack_sections() -> list[PackSection]:
    return [_sections[name] for name in sorted(_sections)]
