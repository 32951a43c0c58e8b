"""Markings and clearance (issue 37): the scheme, where a document's marking comes from, and who may read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.markings.detect import mark
from assistant.markings.marking import Clearance, Marking, highest
from assistant.markings.scheme import load_scheme

SCHEME = """
unmarked = "OFFICIAL"

[[level]]
name = "UNCLASSIFIED"
portion = "U"
[[level]]
name = "OFFICIAL"
portion = "O"
[[level]]
name = "OFFICIAL-SENSITIVE"
portion = "OS"
aliases = ["OFFICIAL SENSITIVE"]
[[level]]
name = "SECRET"
portion = "S"
[[level]]
name = "TOP SECRET"
portion = "TS"

[[caveat]]
name = "NOFORN"
portion = "NF"
[[caveat]]
name = "UK EYES ONLY"
portion = "UKEO"

[[rule]]
glob = "restricted/**"
marking = "OFFICIAL-SENSITIVE"
"""


@pytest.fixture
def scheme(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "markings.toml"
    path.write_text(SCHEME, encoding="utf-8")
    loaded = load_scheme(path)
    assert loaded is not None
    return loaded


def test_markings_are_written_and_read_as_the_scheme_spells_them(scheme):
    secret_nf = scheme.parse("SECRET//NOFORN")
    assert secret_nf == Marking(3, frozenset({"NOFORN"}))
    assert scheme.parse("official sensitive") == Marking(2)  # an alias, any case
    assert scheme.parse("SECRET//NOFORN/UK EYES ONLY") == Marking(3, frozenset({"NOFORN", "UK EYES ONLY"}))
    assert scheme.parse("CONFIDENTIAL") is None and scheme.parse("SECRET//REL TO USA") is None
    assert scheme.label(secret_nf) == "SECRET//NOFORN" and scheme.portion(secret_nf) == "(S//NF)"
    assert scheme.unmarked_marking == Marking(1)


def test_a_clearance_permits_its_level_and_below_and_only_the_caveats_it_holds(scheme):
    reader = scheme.clearance("SECRET")
    assert reader.permits(Marking(3)) and reader.permits(Marking(0))
    assert not reader.permits(Marking(3, frozenset({"NOFORN"})))  # a caveat not granted
    assert not reader.permits(Marking(4))
    assert scheme.clearance("SECRET/NOFORN").permits(Marking(3, frozenset({"NOFORN"})))
    with pytest.raises(ConfigError, match="not a level"):
        scheme.clearance("CONFIDENTIAL")
    with pytest.raises(ConfigError, match="not a caveat"):
        scheme.clearance("SECRET/REL TO USA")


def test_the_highest_of_several_markings_takes_the_top_level_and_every_caveat():
    combined = highest([Marking(2), Marking(3, frozenset({"NOFORN"})), Marking(1, frozenset({"UK EYES ONLY"}))],
                       Marking(1))
    assert combined == Marking(3, frozenset({"NOFORN", "UK EYES ONLY"}))
    assert highest([], Marking(1)) == Marking(1)
    assert highest([Marking(0)], Marking(1)) == Marking(0)  # an explicit lower marking is not raised


def test_every_source_is_recorded_and_conflicts_take_the_highest(scheme):
    text = ("OFFICIAL-SENSITIVE\nBudget memo\n\n(O) Travel is booked.\n\n(S//NF) The source is named here.\n\n"
            "Ordinary closing paragraph.\nOFFICIAL-SENSITIVE")
    found = mark(scheme, "restricted/memo.txt", text, metadata={"Classification": "OFFICIAL", "Author": "SECRET"})
    kinds = {(s.kind, scheme.label(s.marking)) for s in found.sources}
    assert ("rule", "OFFICIAL-SENSITIVE") in kinds and ("metadata", "OFFICIAL") in kinds  # "Author" is no marking field
    assert ("banner", "OFFICIAL-SENSITIVE") in kinds and ("portion marks", "SECRET//NOFORN") in kinds
    assert found.marking == Marking(3, frozenset({"NOFORN"}))
    travel = text.index("Travel")
    assert found.at(travel, travel + 10) == Marking(1)  # its paragraph's portion mark
    closing = text.index("Ordinary")
    assert found.at(closing, closing + 8) == found.marking  # no portion mark: the document's


def test_a_document_nothing_marks_is_at_the_unmarked_level(scheme):
    found = mark(scheme, "notes.txt", "A plain note about the weather.\nIt is OFFICIAL policy to say so in a sentence.")
    assert found.marking == Marking(1) and found.sources == ()


def test_a_banner_on_every_page_is_one_source_and_a_level_mentioned_in_prose_is_none(scheme):
    text = "SECRET\nPage one text.\nSECRET\nSECRET\nPage two text.\nSECRET"
    found = mark(scheme, "a.pdf", text, page_starts=[0, text.index("SECRET\nPage two")])
    assert [(s.kind, s.detail) for s in found.sources] == [("banner", "page 1 top")]
    prose = mark(scheme, "b.txt", "The SECRET service protected the summit.\nIt went well.")
    assert prose.sources == ()


@pytest.mark.parametrize("text, problem", [
    ("[[level]]\nname = 'A'\n[[level]]\nname = 'A'\n", "named twice"),
    ("unmarked = 'X'\n[[level]]\nname = 'A'\n", "not one of the levels"),
    ("[[level]]\nname = 'A'\n[[rule]]\nglob = 'x/**'\nmarking = 'B'\n", "not a marking"),
    ("level = 3\n", "must be tables"),
    ("nothing = 1\n", r"no \[\[level\]\]"),
    ("[[level\n", "not valid TOML"),
])
def test_a_bad_scheme_is_one_line_naming_the_problem(tmp_path, text, problem):
    path = tmp_path / "markings.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=problem) as caught:
        load_scheme(path)
    assert "\n" not in str(caught.value)


def test_no_scheme_means_no_markings(tmp_path):
    assert load_scheme(None) is None
    with pytest.raises(ConfigError, match="cannot read"):
        load_scheme(tmp_path / "missing.toml")


def test_clearance_is_typed_as_written():
    assert Clearance(3, frozenset({"NOFORN"})).permits(Marking(2))
