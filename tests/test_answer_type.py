"""Questions asking for an amount are refused when no candidate sentence states one."""

from __future__ import annotations

import pytest

from assistant.answer.engine import Engine
from assistant.answer.expected_type import AnswerType, satisfies, stated, wanted
from tests.fakes import HashEmbedder
from tests.helpers import build


@pytest.mark.parametrize("question, kind", [
    ("What is the price of one Nvidia H200 chip?", AnswerType("money")),
    ("How much will Alibaba invest in AI?", AnswerType("money")),
    ("How many tonnes of rare earths does the United States mine?", AnswerType("number", frozenset({"ton"}))),  # "tons"
    ("How many Chinese chipmakers were listed?", AnswerType("number", frozenset({"chines", "chipmak"}))),
    ("How many patients were enrolled?", AnswerType("number", frozenset({"patient"}))),
    ("Which chipmakers gained?", None),
    ("How long did the talks last?", None),
])
def test_the_kind_of_answer_a_question_asks_for(question: str, kind: AnswerType | None) -> None:
    assert wanted(question) == kind


def test_a_sentence_states_money_or_a_count_of_the_unit() -> None:
    money, tonnes = AnswerType("money"), AnswerType("number", frozenset({"ton"}))  # "tonnes" is "tons"
    assert satisfies(money, "Alibaba announced a $53 billion plan.")
    assert satisfies(money, "It costs 2,000 euros per unit.")
    assert satisfies(money, "The bridge repair costs 4.5 million euros.")  # a scale word before the currency
    assert not satisfies(money, "The H200 may be sold to China under conditions set in 2025.")
    assert satisfies(tonnes, "China mined 240,000 tonnes last year.")
    assert not satisfies(tonnes, "China mined most of the world's rare earths in 2024.")  # a year is no count
    assert not satisfies(tonnes, "Output reached 240,000 units.")  # a number, but not of tonnes
    either = wanted("How many surgical masks or respirators will be needed?")
    assert either is not None and satisfies(either, "Studies project 7.3 billion N95 respirators.")


def test_a_question_for_an_amount_no_sentence_gives_is_refused_saying_so(settings, corpus) -> None:
    (corpus / "chips.txt").write_text(
        "Nvidia may sell H200 chips to China under conditions set at the end of 2025. "
        "Alibaba will invest $53 billion in AI and cloud infrastructure over three years. "
        "China mined most of the world's rare earths in 2024, far more than any other country.\n",
        encoding="utf-8")
    build(settings, HashEmbedder())
    engine = Engine(settings.replace(refusal_threshold=0.05), HashEmbedder())
    answered = engine.ask("How much will Alibaba invest in AI and cloud infrastructure?")
    assert not answered.abstained and "$53 billion" in answered.text
    refused = engine.ask("How many tonnes of rare earths did China mine in 2024?")
    assert refused.abstained and refused.notes == ("no passage found states a number of tonnes",)


def test_the_amount_must_be_of_the_question_s_subject() -> None:
    price = wanted("What is the price of one Nvidia H200 chip?")
    assert price is not None and price.subject == {"nvidia", "h200"}
    assert not satisfies(price, "Alibaba announced a $53 billion investment plan.")  # someone else's money
    assert satisfies(price, "Each Nvidia H200 sells for about $30,000.")


def near(score: float):
    """A stand-in for the model's cosine between the unit asked for and what a number counts."""
    return lambda _noun, phrases: [score for _ in phrases]


def test_what_a_number_counts_is_matched_by_meaning() -> None:
    """Issue 34: "how many people died" was refused where the document states "157 fatalities"."""
    died = wanted("How many people died in the crash?")
    assert died is not None
    assert not satisfies(died, "The crash resulted in 157 fatalities.")  # no shared word
    assert satisfies(died, "The crash resulted in 157 fatalities.", similar=near(0.6))
    assert not satisfies(died, "The crash resulted in 157 fatalities.", similar=near(0.3))


def test_a_table_row_counts_what_its_column_header_names() -> None:
    workers = wanted("How many workers did Acme lay off?")
    row = "Company: Acme; City: Milpitas; No. Of Employees: 213"
    assert workers is not None and satisfies(workers, row, similar=near(0.6))
    assert stated(row)[0].counted == ("No. Of Employees",)
    assert not satisfies(workers, "Company: Acme; Notice Date: 06/30/2015", similar=near(0.9))  # a date is no count


def test_an_amount_column_makes_its_numbers_money() -> None:
    paid = wanted("How much was paid to Clayton Campbell?")
    assert paid is not None and paid.kind == "money"
    assert satisfies(paid, "Name: CAMPBELL, CLAYTON D; Position: DISTRICT DIRECTOR; Amount: 31,111.08")
    assert satisfies(paid, "Name: CAMPBELL, CLAYTON D; Travel: 618.00")  # printed as an amount
    assert not satisfies(paid, "Name: CAMPBELL, CLAYTON D; Staff: 12")


def test_a_count_in_capitals_and_a_subject_named_by_the_title() -> None:
    ballots = wanted("How many ballots were cast in the Acton precinct?")
    assert ballots is not None and satisfies(ballots, "327 BALLOTS CAST", around="PRECINCT 0050003A ACTON")
    assert not satisfies(ballots, "327 BALLOTS CAST", around="PRECINCT 0050003A LANCASTER")  # another precinct


@pytest.mark.integration
def test_the_bundled_model_tells_the_unit_asked_for_from_another(settings) -> None:
    from assistant.answer.expected_type import Context, any_satisfies
    from assistant.embedders import embedder_for

    embed = embedder_for(settings).embed
    died = wanted("How many people died in the crash?")
    tonnes = wanted("How many tonnes of rare earths does the United States mine?")
    phones = wanted("How many smartphones did Huawei sell?")
    assert died and tonnes and phones
    assert any_satisfies(died, [Context("The crash resulted in 157 fatalities.")], embed)
    workers = wanted("How many workers did Acme lay off?")
    assert workers and any_satisfies(workers, [Context("Company: Acme; City: Milpitas; No. Of Employees: 213")], embed)
    assert not any_satisfies(tonnes, [Context("Output of the United States reached 240,000 units.")], embed)
    assert not any_satisfies(phones, [Context("Huawei shipped 40 million Ascend chips.")], embed)


def test_a_listing_s_count_takes_its_subject_from_the_page_header_around_it(settings, corpus) -> None:
    # a records search: the department is named in the page's header, never beside the count
    (corpus / "search.txt").write_text(
        "Versadex Report\n\n"
        "For:1094N roperty.jurisdiction='SJ' NUMBER OF RECORDS RETURNED: 983 TYPE ITEM MAKE\n"
        "Page 1 SAN JOSE POLICE DEPT\n"
        "FIREARM SEARCH\n"
        "PISTOL SEMI-AUTOMATIC CARL WALTHER PPK 7.65 FOUND _d__ 832229 Tag#:SJ4664-1 GO SJ 2012-122960284\n",
        encoding="utf-8")
    build(settings, HashEmbedder())
    engine = Engine(settings.replace(refusal_threshold=0.05), HashEmbedder())
    answered = engine.ask("How many records did the San Jose Police Department firearm search return?")
    assert not answered.abstained and "983" in answered.text
    listed = engine.ask("What calibre is the Carl Walther PPK listed in the firearm search?")
    assert not listed.abstained and "7.65" in listed.text
