"""Questions asking for an amount are refused when no candidate sentence states one."""

from __future__ import annotations

import pytest

from assistant.answer.engine import Engine
from assistant.answer.expected_type import AnswerType, satisfies, wanted
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
