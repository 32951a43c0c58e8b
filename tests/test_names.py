"""One rule finds names (``text.names``) for questions' subjects, follow-ups, actors and initials."""

from assistant.text.names import capitalised_runs


def texts(text: str, **options: bool) -> list[str]:
    return [run.text for run in capitalised_runs(text, **options)]


def test_a_run_joins_capitalised_words_and_connectors_and_breaks_at_anything_else():
    assert texts("The Ministry of Commerce said Nvidia's chips, Huawei and Alibaba gained.") == [
        "The Ministry of Commerce", "Nvidia", "Huawei", "Alibaba"]
    assert texts("Exports to the European Union of rare earths") == ["Exports", "European Union"]  # no trailing "of"


def test_options_say_what_differs_between_the_callers():
    assert texts("Chinese-made chips and the Co-operation Council") == ["Council"]  # descriptions, not names
    assert texts("the Co-operation Council", descriptions=True) == ["Co-operation Council"]
    assert texts("Is the Nvidia H200 sold?") == ["Is", "Nvidia"]
    assert texts("Is the Nvidia H200 sold?", alphanumerics=True) == ["Is", "Nvidia H200"]
    assert texts("Bank of England", connectors=frozenset()) == ["Bank", "England"]


def test_a_run_knows_whether_it_opens_its_text():
    first, second, third = capitalised_runs("Reuters: Donald Trump met Xi Jinping")
    assert (first.text, first.opens) == ("Reuters", True)
    assert (second.text, second.opens) == ("Donald Trump", True) and not third.opens  # after a label
    assert capitalised_runs("Note: Beijing acted")[1].opens  # a label's colon: what follows opens
    assert capitalised_runs("  Beijing acted")[0].start == 2
